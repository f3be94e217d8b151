package dev.lossbench.retrieval.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.SceneGrammar.Scene;
import dev.lossbench.retrieval.data.SceneGrammar.SceneCaption;
import dev.lossbench.retrieval.data.SceneGrammar.SceneObject;
import dev.lossbench.retrieval.io.AtomicFiles;
import dev.lossbench.retrieval.io.Sha256;
import dev.lossbench.retrieval.npy.NpyDType;
import dev.lossbench.retrieval.npy.NpyWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Generates the synthetic scenes dataset in the precomp layout ({@code train}, {@code dev},
 * {@code test}), so {@link PrecompDataset} reads it like Flickr30K.
 *
 * <p>Each image holds 1–4 objects with a colour, shape, size and grid cell. An object's region
 * feature is a fixed random projection of its one-hot attributes (entries N(0, 1/4), four
 * attributes, so each dimension of the signal has variance 1) plus N(0, σ²) noise; the remaining
 * regions are pure noise; region order is shuffled. Captions come from {@link SceneGrammar}.
 *
 * <p>Everything derives from the config's seed through per-image random streams (split and index
 * select the stream), so the bytes are the same on every machine and the first n training images
 * are the same whatever {@code trainImages} is. Doubles go through {@link StrictMath} so that no
 * platform intrinsic changes a bit.
 */
public final class SyntheticScenes {
  /** The marker file: the config and its hash, written last, so its presence means a complete dataset. */
  public static final String MARKER_FILE = "synthetic.json";

  private static final DatasetSplit[] SPLITS = {DatasetSplit.TRAIN, DatasetSplit.DEV, DatasetSplit.TEST};
  private static final long PROJECTION_STREAM = 0x5052_4F4AL;
  private static final long DOMAIN_STREAM = 0x444F_4D41_494EL;

  private final SyntheticConfig config;
  private final SceneGrammar grammar;
  private final float[][] projection;

  public SyntheticScenes(SyntheticConfig config) {
    this.config = config;
    this.grammar = new SceneGrammar(config);
    this.projection = projection(config);
  }

  public SyntheticConfig config() {
    return config;
  }

  /**
   * One attribute value per row (colours, shapes, sizes, cells), entries N(0, 1/4). A domain
   * other than 0 re-draws the entries of {@code round(projectionShift · dim)} columns chosen by
   * (seed, domain) and keeps the others: the attribute→feature map is partly shared.
   */
  static float[][] projection(SyntheticConfig c) {
    int rows = c.colours() + c.shapes() + c.sizes() + c.grid() * c.grid();
    Normal normal = new Normal(new SplittableRandom(mix(c.seed(), PROJECTION_STREAM)));
    float[][] p = new float[rows][c.dim()];
    for (float[] row : p) {
      for (int d = 0; d < row.length; d++) {
        row[d] = (float) (0.5 * normal.next());
      }
    }
    if (c.domain() != 0) {
      long domainSeed = mix(mix(c.seed(), DOMAIN_STREAM), c.domain());
      int shifted = (int) StrictMath.round(c.projectionShift() * c.dim());
      int[] columns = SceneGrammar.permutation(c.dim(), new SplittableRandom(mix(domainSeed, 1)));
      Normal redraw = new Normal(new SplittableRandom(mix(domainSeed, 2)));
      for (float[] row : p) {
        for (int k = 0; k < shifted; k++) {
          row[columns[k]] = (float) (0.5 * redraw.next());
        }
      }
    }
    return p;
  }

  /** Seed of the per-image streams: the config's seed for domain 0, a domain's own otherwise (other scenes). */
  private long imageStreamSeed() {
    return config.domain() == 0 ? config.seed() : mix(mix(config.seed(), DOMAIN_STREAM), config.domain() + 0x10000L);
  }

  /** A generated image: its scene, features (regions × dim, row-major) and captions. */
  record Image(Scene scene, float[] features, List<SceneCaption> captions) {}

  Image image(DatasetSplit split, int index) {
    long imageSeed = mix(mix(imageStreamSeed(), split.ordinal() + 1), index);
    Scene scene = grammar.scene(new SplittableRandom(mix(imageSeed, 1)));
    float[] features = features(scene, new SplittableRandom(mix(imageSeed, 2)));
    SplittableRandom captionRng = new SplittableRandom(mix(imageSeed, 3));
    List<SceneCaption> captions = new ArrayList<>(config.captionsPerImage());
    for (int k = 0; k < config.captionsPerImage(); k++) {
      captions.add(grammar.caption(scene, captionRng));
    }
    return new Image(scene, features, List.copyOf(captions));
  }

  private float[] features(Scene scene, SplittableRandom rng) {
    int dim = config.dim();
    int[] slot = SceneGrammar.permutation(config.regions(), rng);
    Normal normal = new Normal(rng);
    float[] out = new float[config.regions() * dim];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (config.noise() * normal.next());
    }
    int shapeBase = config.colours();
    int sizeBase = shapeBase + config.shapes();
    int cellBase = sizeBase + config.sizes();
    List<SceneObject> objects = scene.objects();
    for (int k = 0; k < objects.size(); k++) {
      SceneObject o = objects.get(k);
      float[][] rows = {projection[o.colour()], projection[shapeBase + o.shape()],
          projection[sizeBase + o.size()], projection[cellBase + o.cell()]};
      int off = slot[k] * dim;
      for (float[] row : rows) {
        for (int d = 0; d < dim; d++) {
          out[off + d] += row[d];
        }
      }
    }
    return out;
  }

  /** Whether {@code dir} already holds a complete dataset generated from this config. */
  public boolean isGenerated(Path dir) {
    Path marker = dir.resolve(MARKER_FILE);
    if (!Files.isRegularFile(marker)) {
      return false;
    }
    try {
      JsonNode hash = new ObjectMapper().readTree(marker.toFile()).get("contentHash");
      if (hash == null || !hash.asText().equals(config.contentHash())) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    for (DatasetSplit s : SPLITS) {
      if (!Files.isRegularFile(PrecompDataset.imagesFile(dir, s))
          || !Files.isRegularFile(PrecompDataset.captionsFile(dir, s))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes the dataset to {@code dir} unless it already holds this config's dataset. The files
   * are written to a temporary sibling directory that is renamed into place, so {@code dir} is
   * either absent, the previous complete dataset, or the new complete one — and concurrent
   * preparations of the same config both end with one complete copy. A previous synthetic
   * dataset of another config in {@code dir} is replaced; any other non-empty directory is left
   * alone and is an error.
   *
   * @return true if the files were written, false if an identical dataset was already there
   */
  public boolean generate(Path dir) {
    Path target = dir.toAbsolutePath().normalize();
    if (isGenerated(target)) {
      return false;
    }
    requireReplaceable(target);
    try {
      Path parent = target.getParent();
      Files.createDirectories(parent);
      Path temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
      try {
        writeAll(temp);
        return install(temp, target);
      } finally {
        deleteTree(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write synthetic dataset " + target, e);
    }
  }

  private static void requireReplaceable(Path target) {
    if (!Files.exists(target)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new InvalidInputException(
          target + ": exists and is not a directory; cannot write the synthetic dataset there");
    }
    if (Files.exists(target.resolve(MARKER_FILE))) {
      return;
    }
    try (Stream<Path> entries = Files.list(target)) {
      if (entries.findAny().isPresent()) {
        throw new InvalidInputException(target + ": is a non-empty directory without " + MARKER_FILE
            + "; refusing to replace files the synthetic generator did not write");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + target, e);
    }
  }

  /** Renames {@code temp} to {@code target}; an outdated dataset there is moved aside first. */
  private boolean install(Path temp, Path target) throws IOException {
    for (int attempt = 0;; attempt++) {
      try {
        AtomicFiles.rename(temp, target);
        return true;
      } catch (IOException e) {
        // the exception type for "target is a non-empty directory" varies by platform, so ask the file system
        if (!Files.exists(target) || attempt == 2) {
          throw e;
        }
      }
      if (isGenerated(target)) {
        return false; // another preparation of the same config finished first
      }
      requireReplaceable(target);
      Path old = target.resolveSibling("." + target.getFileName() + ".old-" + Long.toHexString(System.nanoTime()));
      try {
        AtomicFiles.rename(target, old);
      } catch (NoSuchFileException gone) {
        continue;
      }
      deleteTree(old);
    }
  }

  private void writeAll(Path dir) throws IOException {
    for (DatasetSplit split : SPLITS) {
      int n = config.images(split);
      try (NpyWriter ims = NpyWriter.create(PrecompDataset.imagesFile(dir, split), NpyDType.FLOAT32,
          n, config.regions(), config.dim());
          BufferedWriter caps = Files.newBufferedWriter(PrecompDataset.captionsFile(dir, split),
              StandardCharsets.UTF_8)) {
        for (int i = 0; i < n; i++) {
          Image im = image(split, i);
          ims.write(im.features(), 0, im.features().length);
          for (SceneCaption c : im.captions()) {
            caps.write(c.text());
            caps.write('\n');
          }
        }
      }
    }
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode marker = json.createObjectNode();
    marker.put("generator", "lossbench synthetic scenes");
    marker.put("generatorVersion", SyntheticConfig.GENERATOR_VERSION);
    marker.put("contentHash", config.contentHash());
    ObjectNode configNode = json.valueToTree(config);
    if (config.domain() == 0) {
      // the source domain's marker reads as before the domain knobs existed (same bytes, same cache)
      configNode.remove("domain");
      configNode.remove("projectionShift");
    }
    marker.set("config", configNode);
    json.writeValue(dir.resolve(MARKER_FILE).toFile(), marker);
  }

  /**
   * SHA-256 (hex) over the names and bytes of every file in {@code dir}, in name order: equal
   * for two directories exactly when their files are identical.
   */
  public static String filesHash(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      Sha256 sha = new Sha256();
      for (Path f : files.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList()) {
        sha.add(f.getFileName().toString()).add((byte) 0).addFile(f);
      }
      return sha.hex();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash " + dir, e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** SplitMix64's finaliser over a combination of two values: independent streams per (seed, key). */
  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Standard normal draws by Box–Muller with {@link StrictMath}, identical on every JVM. */
  private static final class Normal {
    private final SplittableRandom rng;
    private double spare;
    private boolean hasSpare;

    Normal(SplittableRandom rng) {
      this.rng = rng;
    }

    double next() {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      double u1 = 1.0 - rng.nextDouble(); // in (0, 1], so the log is finite
      double u2 = rng.nextDouble();
      double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
      double theta = 2.0 * StrictMath.PI * u2;
      spare = r * StrictMath.sin(theta);
      hasSpare = true;
      return r * StrictMath.cos(theta);
    }
  }
}
