package dev.lossbench.retrieval.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.retrieval.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Raw images with the Karpathy-split captions file used for Flickr30K and MSCOCO
 * ({@code dataset_flickr30k.json}, {@code dataset_coco.json}: {@code {"images": [{"filename",
 * "filepath"?, "split", "sentences": [{"raw"}, …]}, …]}}) and a directory of images
 * ({@code images/[filepath/]filename}).
 *
 * <p>Splits: {@code train} = "train" plus COCO's "restval"; {@code dev} = "val"; {@code test} and
 * {@code testall} = "test". Each image keeps its first {@code captionsPerImage} sentences (COCO has
 * a few images with six or seven); an image with fewer is an error naming it.
 *
 * <p>Each image is one "region" of {@code 3 × size × size} preprocessed pixels
 * ({@link ImagePreprocessing}); a batch is decoded in parallel on a fixed pool of threads.
 */
public final class KarpathyDataset implements RetrievalDataset {
  private static final ExecutorService DECODERS = Executors.newFixedThreadPool(
      Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
        Thread t = new Thread(r, "lossbench-image-decoder");
        t.setDaemon(true);
        return t;
      });

  private final Path json;
  private final DatasetSplit split;
  private final List<Path> files;
  private final List<String> captions;
  private final int perImage;
  private final ImagePreprocessing preprocessing;

  private KarpathyDataset(Path json, DatasetSplit split, List<Path> files, List<String> captions, int perImage,
      ImagePreprocessing preprocessing) {
    this.json = json;
    this.split = split;
    this.files = files;
    this.captions = captions;
    this.perImage = perImage;
    this.preprocessing = preprocessing;
  }

  /**
   * @param json the Karpathy-split captions file
   * @param images the directory holding the images ({@code filepath/filename} or {@code filename})
   */
  public static KarpathyDataset open(Path json, Path images, DatasetSplit split, int captionsPerImage,
      ImagePreprocessing preprocessing) {
    if (!Files.isRegularFile(json)) {
      throw new InvalidInputException(
          json + ": no such file: expected a Karpathy-split captions file (dataset_flickr30k.json, dataset_coco.json)");
    }
    if (!Files.isDirectory(images)) {
      throw new InvalidInputException(images + ": no such directory: expected the dataset's images");
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json.toFile());
    } catch (IOException e) {
      throw new InvalidInputException(json + ": not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
    if (!root.path("images").isArray()) {
      throw new InvalidInputException(json
          + ": has no 'images' list: expected {\"images\": [{\"filename\", \"split\", \"sentences\": [{\"raw\"}]}]}");
    }
    List<Path> files = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    int index = 0;
    for (JsonNode im : root.path("images")) {
      String field = "images[" + index++ + "]";
      String s = im.path("split").asText("");
      if (!belongs(s, split)) {
        continue;
      }
      String name = im.path("filename").asText("");
      if (name.isEmpty()) {
        throw new InvalidInputException(json + ": " + field + " has no 'filename'");
      }
      JsonNode sentences = im.path("sentences");
      if (sentences.size() < captionsPerImage) {
        throw new InvalidInputException(json + ": " + field + " (" + name + ") has " + sentences.size()
            + " sentences: expected at least " + captionsPerImage);
      }
      for (int k = 0; k < captionsPerImage; k++) {
        JsonNode raw = sentences.get(k).path("raw");
        if (!raw.isTextual()) {
          throw new InvalidInputException(json + ": " + field + ".sentences[" + k + "] has no 'raw' text");
        }
        captions.add(raw.asText());
      }
      String dir = im.path("filepath").asText("");
      files.add(dir.isEmpty() ? images.resolve(name) : images.resolve(dir).resolve(name));
    }
    if (files.isEmpty()) {
      throw new InvalidInputException(
          json + ": no image has split " + splitNames(split) + ": expected the " + split + " split");
    }
    return new KarpathyDataset(json, split, List.copyOf(files), List.copyOf(captions), captionsPerImage, preprocessing);
  }

  /**
   * A dataset directory: exactly one {@code dataset_*.json} and the images in {@code images/}
   * (when it exists) or beside the file, each at {@code [filepath/]filename}.
   */
  public static KarpathyDataset openDirectory(Path dir, DatasetSplit split, int captionsPerImage,
      ImagePreprocessing p) {
    Path json = captionsFile(dir);
    Path images = Files.isDirectory(dir.resolve("images")) ? dir.resolve("images") : dir;
    return open(json, images, split, captionsPerImage, p);
  }

  /**
   * What {@code dir} lacks to be opened ({@link #openDirectory}): {@code dataset_*.json}, or a single one;
   * empty when it has exactly one.
   */
  public static List<String> missingFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      long n = files.filter(f -> f.getFileName().toString().matches("dataset_.*\\.json")).count();
      return n == 1 ? List.of() : List.of(n == 0 ? "dataset_*.json" : "single dataset_*.json (it has " + n + ")");
    } catch (IOException e) {
      return List.of("readable listing (" + e.getMessage() + ")");
    }
  }

  /** The one {@code dataset_*.json} of {@code dir}. */
  public static Path captionsFile(Path dir) {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(f -> f.getFileName().toString().matches("dataset_.*\\.json")).sorted().forEach(found::add);
    } catch (IOException e) {
      throw new InvalidInputException(dir + ": cannot list (" + e.getMessage() + ")", e);
    }
    if (found.size() != 1) {
      throw new InvalidInputException(
          dir + ": has " + (found.isEmpty() ? "no" : found.size()) + " dataset_*.json files "
              + found.stream().map(f -> f.getFileName().toString()).toList()
              + ": expected one Karpathy-split captions file (dataset_flickr30k.json, dataset_coco.json)");
    }
    return found.get(0);
  }

  private static boolean belongs(String s, DatasetSplit split) {
    return switch (split) {
      case TRAIN -> s.equals("train") || s.equals("restval");
      case DEV -> s.equals("val");
      case TEST, TESTALL -> s.equals("test");
    };
  }

  private static String splitNames(DatasetSplit split) {
    return switch (split) {
      case TRAIN -> "train or restval";
      case DEV -> "val";
      case TEST, TESTALL -> "test";
    };
  }

  public ImagePreprocessing preprocessing() {
    return preprocessing;
  }

  @Override
  public String description() {
    return "karpathy " + json + " (" + split + ", " + preprocessing.size() + "px)";
  }

  @Override
  public DatasetSplit split() {
    return split;
  }

  @Override
  public int images() {
    return files.size();
  }

  @Override
  public int captionCount() {
    return captions.size();
  }

  @Override
  public String caption(int c) {
    return captions.get(c);
  }

  @Override
  public int imageOf(int c) {
    return c / perImage;
  }

  @Override
  public int firstCaption(int i) {
    return i * perImage;
  }

  @Override
  public int captionsPerImage() {
    return perImage;
  }

  @Override
  public boolean hasUniformCaptions() {
    return true;
  }

  @Override
  public int regions() {
    return 1;
  }

  @Override
  public int dim() {
    return preprocessing.floats();
  }

  /** The file of image {@code i}. */
  public Path file(int i) {
    return files.get(i);
  }

  /** Pixels decoded from image files are finite by construction: nothing to scan (decoding every image would take minutes). */
  @Override
  public void requireFiniteFeatures() {}

  @Override
  public int readImage(int i, float[] dst, int offset) {
    Path f = files.get(i);
    if (!Files.isRegularFile(f)) {
      throw new InvalidInputException(f + ": missing image of " + json);
    }
    preprocessing.read(f, dst, offset);
    return 1;
  }

  /** Decodes the batch's images in parallel. */
  @Override
  public RegionBatch readImages(int[] images) {
    int per = dim();
    float[] features = new float[Math.multiplyExact(images.length, per)];
    int[] valid = new int[images.length];
    List<Future<?>> pending = new ArrayList<>(images.length);
    for (int b = 0; b < images.length; b++) {
      int slot = b;
      pending.add(DECODERS.submit(() -> {
        valid[slot] = readImage(images[slot], features, slot * per);
      }));
    }
    try {
      for (Future<?> f : pending) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.forEach(f -> f.cancel(true));
      throw new IllegalStateException("interrupted while decoding images", e);
    } catch (ExecutionException e) {
      pending.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
    return new RegionBatch(images.length, 1, per, features, valid);
  }
}
