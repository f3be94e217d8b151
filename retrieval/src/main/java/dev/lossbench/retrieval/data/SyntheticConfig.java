package dev.lossbench.retrieval.data;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.io.Sha256;

/**
 * Knobs of the synthetic scenes dataset ({@link SyntheticScenes}). {@link #defaults()} is the
 * quick-matrix setting, calibrated against an independent PyTorch model of the same design (see
 * the synthetic-scenes calibration note): σ = 1.0 separates the losses well beyond seed noise
 * without saturating; σ = 0.5 is near the ceiling; σ = 2.0 stays near chance for 8 epochs.
 *
 * @param trainImages images in {@code train} (default 2000)
 * @param devImages images in {@code dev}, the per-epoch validation split (default 500)
 * @param testImages images in {@code test} (default 1000)
 * @param minObjects fewest objects in a scene (default 1)
 * @param maxObjects most objects in a scene (default 4); at most {@code regions} and {@code grid²}
 * @param colours colour values, 1–12 (default 8)
 * @param shapes shape values, 1–12 (default 8)
 * @param sizes size values, 1–3 (default 3); with 1, captions never mention size
 * @param grid positions form a {@code grid × grid} board, 1–3 (default 3); objects take distinct cells
 * @param regions region slots per image R; those without an object hold pure noise (default 8)
 * @param dim feature dimension D (default 128)
 * @param noise σ of the Gaussian noise added to every feature, relative to the per-dimension
 *     signal of an object, whose variance is 1 (default 1.0)
 * @param objectDropRate chance that a caption leaves out each object (at least one is always
 *     mentioned); partial captions make in-batch false negatives, as real captions do (default 0.2)
 * @param attributeDropRate chance that a mention leaves out its colour, and independently its
 *     size (default 0.15); the shape is always named
 * @param spatialRate chance that a mention names the object's position (default 0.5)
 * @param captionsPerImage captions per image (default 5, as Flickr30K and MSCOCO)
 * @param seed everything generated derives from it (default 1)
 * @param domain which of a family of related domains (default 0, the source domain): another
 *     domain draws other scenes and re-draws a {@code projectionShift} share of the feature
 *     projection's columns (dimensions), sharing the rest and the whole caption grammar, so a
 *     model trained on domain 0 transfers to it only in part
 * @param projectionShift share of the projection's columns a domain other than 0 re-draws, in
 *     [0, 1] (default 0.5); ignored for domain 0
 */
public record SyntheticConfig(
    int trainImages,
    int devImages,
    int testImages,
    int minObjects,
    int maxObjects,
    int colours,
    int shapes,
    int sizes,
    int grid,
    int regions,
    int dim,
    double noise,
    double objectDropRate,
    double attributeDropRate,
    double spatialRate,
    int captionsPerImage,
    long seed,
    int domain,
    double projectionShift) {

  /**
   * Version of the generator's output. Bump it whenever a change to the generator or the grammar
   * changes the bytes for some config, so cached datasets are regenerated.
   */
  public static final int GENERATOR_VERSION = 1;

  public SyntheticConfig {
    check(trainImages >= 1 && devImages >= 1 && testImages >= 1, "image counts must be at least 1",
        "train " + trainImages + ", dev " + devImages + ", test " + testImages);
    check(minObjects >= 1 && minObjects <= maxObjects, "objects per image need 1 <= min <= max",
        "min " + minObjects + ", max " + maxObjects);
    check(colours >= 1 && colours <= SceneGrammar.MAX_COLOURS, "colours must be 1–" + SceneGrammar.MAX_COLOURS,
        colours);
    check(shapes >= 1 && shapes <= SceneGrammar.MAX_SHAPES, "shapes must be 1–" + SceneGrammar.MAX_SHAPES, shapes);
    check(sizes >= 1 && sizes <= SceneGrammar.MAX_SIZES, "sizes must be 1–" + SceneGrammar.MAX_SIZES, sizes);
    check(grid >= 1 && grid <= SceneGrammar.MAX_GRID, "grid must be 1–" + SceneGrammar.MAX_GRID, grid);
    check(maxObjects <= grid * grid, "max objects must fit on distinct grid cells (grid²)",
        maxObjects + " objects, " + grid * grid + " cells");
    check(regions >= maxObjects, "regions must hold the most objects",
        regions + " regions, " + maxObjects + " objects");
    check(dim >= 1, "dim must be at least 1", dim);
    check(noise >= 0 && Double.isFinite(noise), "noise must be finite and >= 0", noise);
    check(isRate(objectDropRate), "objectDropRate must be in [0, 1]", objectDropRate);
    check(isRate(attributeDropRate), "attributeDropRate must be in [0, 1]", attributeDropRate);
    check(isRate(spatialRate), "spatialRate must be in [0, 1]", spatialRate);
    check(captionsPerImage >= 1, "captionsPerImage must be at least 1", captionsPerImage);
    check(domain >= 0, "domain must be at least 0", domain);
    check(isRate(projectionShift), "projectionShift must be in [0, 1]", projectionShift);
    if (domain == 0) {
      // the source domain has no shift: one config, whatever was written (or left out of a stored payload)
      projectionShift = DEFAULT_PROJECTION_SHIFT;
    }
  }

  /** The config without domain knobs, as before they existed: the source domain. */
  public SyntheticConfig(int trainImages, int devImages, int testImages, int minObjects, int maxObjects, int colours,
      int shapes, int sizes, int grid, int regions, int dim, double noise, double objectDropRate,
      double attributeDropRate, double spatialRate, int captionsPerImage, long seed) {
    this(trainImages, devImages, testImages, minObjects, maxObjects, colours, shapes, sizes, grid, regions, dim, noise,
        objectDropRate, attributeDropRate, spatialRate, captionsPerImage, seed, 0, DEFAULT_PROJECTION_SHIFT);
  }

  public static final double DEFAULT_PROJECTION_SHIFT = 0.5;

  /** The quick matrix's dataset: 2000 / 500 / 1000 images, σ = 1.0, 8 regions of 128 dimensions. */
  public static SyntheticConfig defaults() {
    return new SyntheticConfig(2000, 500, 1000, 1, 4, 8, 8, 3, 3, 8, 128, 1.0, 0.2, 0.15, 0.5, 5, 1L);
  }

  public SyntheticConfig withSeed(long seed) {
    return new SyntheticConfig(trainImages, devImages, testImages, minObjects, maxObjects, colours, shapes, sizes,
        grid, regions, dim, noise, objectDropRate, attributeDropRate, spatialRate, captionsPerImage, seed, domain,
        projectionShift);
  }

  /** The same knobs in another domain ({@code 0}: the source), re-drawing {@code shift} of the projection. */
  public SyntheticConfig withDomain(int d, double shift) {
    return new SyntheticConfig(trainImages, devImages, testImages, minObjects, maxObjects, colours, shapes, sizes,
        grid, regions, dim, noise, objectDropRate, attributeDropRate, spatialRate, captionsPerImage, seed, d, shift);
  }

  public SyntheticConfig withImages(int train, int dev, int test) {
    return new SyntheticConfig(train, dev, test, minObjects, maxObjects, colours, shapes, sizes,
        grid, regions, dim, noise, objectDropRate, attributeDropRate, spatialRate, captionsPerImage, seed, domain,
        projectionShift);
  }

  public SyntheticConfig withNoise(double sigma) {
    return new SyntheticConfig(trainImages, devImages, testImages, minObjects, maxObjects, colours, shapes, sizes,
        grid, regions, dim, sigma, objectDropRate, attributeDropRate, spatialRate, captionsPerImage, seed, domain,
        projectionShift);
  }

  public SyntheticConfig withDropRates(double objectDrop, double attributeDrop) {
    return new SyntheticConfig(trainImages, devImages, testImages, minObjects, maxObjects, colours, shapes, sizes,
        grid, regions, dim, noise, objectDrop, attributeDrop, spatialRate, captionsPerImage, seed, domain,
        projectionShift);
  }

  /** Images of {@code split}; the generator writes no {@code testall} split. */
  public int images(DatasetSplit split) {
    return switch (split) {
      case TRAIN -> trainImages;
      case DEV -> devImages;
      case TEST -> testImages;
      case TESTALL -> throw new InvalidInputException("synthetic scenes have train, dev and test splits, no testall");
    };
  }

  /**
   * SHA-256 (hex) of the generator version and every knob: equal hashes mean byte-identical
   * files, so a prepared directory with this hash can be reused.
   */
  public String contentHash() {
    // spelled out rather than toString(): record and double formatting are not specified to be stable
    String canonical = String.join("\n", "lossbench-synthetic-scenes v" + GENERATOR_VERSION,
        "images " + trainImages + " " + devImages + " " + testImages,
        "objects " + minObjects + " " + maxObjects,
        "attributes " + colours + " " + shapes + " " + sizes + " " + grid,
        "features " + regions + " " + dim + " " + Double.toHexString(noise),
        "captions " + captionsPerImage + " " + Double.toHexString(objectDropRate) + " "
            + Double.toHexString(attributeDropRate) + " " + Double.toHexString(spatialRate),
        "seed " + seed)
        // domain 0 hashes as before the domain knobs existed: its bytes did not change
        + (domain == 0 ? "" : "\ndomain " + domain + " " + Double.toHexString(projectionShift));
    return Sha256.hex(canonical);
  }

  private static boolean isRate(double r) {
    return r >= 0 && r <= 1;
  }

  private static void check(boolean ok, String rule, Object got) {
    if (!ok) {
      throw new InvalidInputException("synthetic dataset: " + rule + ", got " + got);
    }
  }
}
