package dev.lossbench.retrieval.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lossbench.retrieval.data.SceneGrammar.SceneCaption;
import dev.lossbench.retrieval.data.SceneGrammar.SceneObject;
import dev.lossbench.retrieval.io.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * The synthetic scenes drawn as small PNG images with their captions, in the Karpathy layout
 * ({@code dataset_scenes.json} + {@code images/}), so the raw-image path ({@link KarpathyDataset},
 * a torchscript model) has an offline dataset. The same scenes and captions as
 * {@link SyntheticScenes} of the same config: each object is its colour, shape and size drawn in
 * its cell of the grid, on a grey background. Deterministic: the same config gives the same files.
 */
public final class SyntheticSceneImages {
  public static final String CAPTIONS_FILE = "dataset_scenes.json";
  public static final String IMAGES_DIR = "images";

  /** RGB of the grammar's colour words, in SceneGrammar's order. */
  private static final int[] RGB = {0xd62728, 0x1f50d4, 0x2ca02c, 0xf5d000, 0x8e44ad, 0xff7f0e, 0xf4f4f4, 0x101010,
      0xff8fc8, 0x8b5a2b, 0x8c8c8c, 0x17becf};

  private SyntheticSceneImages() {}

  /** Image side of the rendered scenes (pixels). */
  public static final int SIZE = 64;

  /** Whether {@code dir} holds a complete rendering of {@code config} (its captions file is written last). */
  public static boolean isRendered(SyntheticConfig config, Path dir) {
    Path captions = dir.resolve(CAPTIONS_FILE);
    if (!Files.isRegularFile(captions)) {
      return false;
    }
    try {
      return new ObjectMapper().readTree(captions.toFile()).path("dataset").asText("").endsWith(config.contentHash());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Writes the train, dev and test splits of {@code config}'s scenes as {@code size × size} PNGs
   * into {@code dir} (created; files written beside and renamed, so a complete captions file means
   * complete images). Returns {@code dir}.
   */
  public static Path render(SyntheticConfig config, Path dir, int size) {
    SyntheticScenes scenes = new SyntheticScenes(config);
    Path images = dir.resolve(IMAGES_DIR);
    try {
      Files.createDirectories(images);
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = json.createObjectNode();
      root.put("dataset", "lossbench synthetic scenes " + config.contentHash());
      ArrayNode list = root.putArray("images");
      int imgid = 0;
      for (DatasetSplit split : new DatasetSplit[]{DatasetSplit.TRAIN, DatasetSplit.DEV, DatasetSplit.TEST}) {
        int n = config.images(split);
        String name = split == DatasetSplit.DEV ? "val" : split.fileName();
        // drawing and PNG encoding in parallel; the JSON in order
        SyntheticScenes.Image[] drawn = new SyntheticScenes.Image[n];
        IntStream.range(0, n).parallel().forEach(i -> {
          drawn[i] = scenes.image(split, i);
          write(draw(drawn[i], config, size), images.resolve(fileName(name, i)));
        });
        for (int i = 0; i < n; i++) {
          ObjectNode im = list.addObject();
          im.put("filename", fileName(name, i));
          im.put("split", name);
          im.put("imgid", imgid++);
          ArrayNode sentences = im.putArray("sentences");
          for (SceneCaption c : drawn[i].captions()) {
            sentences.addObject().put("raw", c.text());
          }
        }
      }
      AtomicFiles.write(dir.resolve(CAPTIONS_FILE), json.writeValueAsBytes(root));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write rendered scenes to " + dir, e);
    }
  }

  private static String fileName(String split, int i) {
    return String.format("%s_%06d.png", split, i);
  }

  private static void write(BufferedImage image, Path file) {
    try {
      // not synced one by one (thousands of small files); the captions file, written last, is
      Path temp = AtomicFiles.temporarySibling(file);
      if (!ImageIO.write(image, "png", temp.toFile())) {
        throw new IOException("no PNG writer");
      }
      AtomicFiles.replace(temp, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static BufferedImage draw(SyntheticScenes.Image scene, SyntheticConfig config, int size) {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(new Color(0x7f7f7f));
      g.fillRect(0, 0, size, size);
      int grid = config.grid();
      double cell = (double) size / grid;
      for (SceneObject o : scene.scene().objects()) {
        double cx = (o.cell() % grid + 0.5) * cell;
        double cy = (o.cell() / grid + 0.5) * cell;
        double r = cell * (0.22 + 0.12 * o.size());
        g.setColor(new Color(RGB[o.colour() % RGB.length]));
        g.fill(shape(o.shape(), cx, cy, r));
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /** The outline of shape {@code s} (SceneGrammar's order: cube, sphere, cylinder, cone, pyramid, ring, star, disc, heart, cross, triangle, crescent). */
  private static Shape shape(int s, double x, double y, double r) {
    return switch (s % 12) {
      case 0 -> new Rectangle2D.Double(x - r, y - r, 2 * r, 2 * r);
      case 1 -> new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
      case 2 -> new Rectangle2D.Double(x - r / 2, y - r, r, 2 * r);
      case 3 -> polygon(new double[]{x, x - r / 2, x + r / 2}, new double[]{y - r, y + r, y + r});
      case 4 -> polygon(new double[]{x, x - r, x + r}, new double[]{y - r, y + r, y + r});
      case 5 -> {
        Area a = new Area(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
        a.subtract(new Area(new Ellipse2D.Double(x - r / 2, y - r / 2, r, r)));
        yield a;
      }
      case 6 -> star(x, y, r);
      case 7 -> new Ellipse2D.Double(x - r, y - r / 2, 2 * r, r);
      case 8 -> {
        Area a = new Area(new Ellipse2D.Double(x - r, y - r, r, r));
        a.add(new Area(new Ellipse2D.Double(x, y - r, r, r)));
        a.add(new Area(polygon(new double[]{x - r, x + r, x}, new double[]{y - r / 2, y - r / 2, y + r})));
        yield a;
      }
      case 9 -> {
        Area a = new Area(new Rectangle2D.Double(x - r, y - r / 3, 2 * r, 2 * r / 3));
        a.add(new Area(new Rectangle2D.Double(x - r / 3, y - r, 2 * r / 3, 2 * r)));
        yield a;
      }
      case 10 -> polygon(new double[]{x - r, x + r, x - r}, new double[]{y - r, y, y + r});
      default -> {
        Area a = new Area(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
        a.subtract(new Area(new Ellipse2D.Double(x - r / 2, y - r, 2 * r, 2 * r)));
        yield a;
      }
    };
  }

  private static Polygon polygon(double[] xs, double[] ys) {
    Polygon p = new Polygon();
    for (int i = 0; i < xs.length; i++) {
      p.addPoint((int) Math.round(xs[i]), (int) Math.round(ys[i]));
    }
    return p;
  }

  private static Shape star(double x, double y, double r) {
    Polygon p = new Polygon();
    for (int k = 0; k < 10; k++) {
      double radius = k % 2 == 0 ? r : r * 0.45;
      double a = -Math.PI / 2 + k * Math.PI / 5;
      p.addPoint((int) Math.round(x + radius * Math.cos(a)), (int) Math.round(y + radius * Math.sin(a)));
    }
    return p;
  }

}
