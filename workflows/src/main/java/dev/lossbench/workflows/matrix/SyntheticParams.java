package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.data.SyntheticConfig;
import dev.lossbench.retrieval.params.Param;
import dev.lossbench.retrieval.params.Params;
import dev.lossbench.retrieval.params.SpecException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The knobs of a synthetic dataset as a matrix writes them: {@link SyntheticConfig}'s components
 * in snake_case, defaults taken from {@link SyntheticConfig#defaults()} so they live in one place.
 * Single keys are checked here; rules between keys (min ≤ max objects, objects fit the grid, …)
 * are {@link SyntheticConfig}'s own.
 */
final class SyntheticParams {
  private static final SyntheticConfig D = SyntheticConfig.defaults();

  static final List<Param> PARAMS = List.of(
      Param.integer("train_images", D.trainImages(), 1, "images in train"),
      Param.integer("dev_images", D.devImages(), 1, "images in dev (per-epoch validation)"),
      Param.integer("test_images", D.testImages(), 1, "images in test"),
      Param.integer("min_objects", D.minObjects(), 1, "fewest objects in a scene"),
      Param.integer("max_objects", D.maxObjects(), 1, "most objects in a scene (<= regions, <= grid²)"),
      Param.integer("colours", D.colours(), 1, "colour values, up to 12"),
      Param.integer("shapes", D.shapes(), 1, "shape values, up to 12"),
      Param.integer("sizes", D.sizes(), 1, "size values, up to 3"),
      Param.integer("grid", D.grid(), 1, "positions form a grid × grid board, up to 3"),
      Param.integer("regions", D.regions(), 1, "region slots per image"),
      Param.integer("dim", D.dim(), 1, "feature dimension"),
      Param.number("noise", D.noise(), 0, false, "σ of the feature noise"),
      Param.number("object_drop_rate", D.objectDropRate(), 0, false, 1, "chance a caption leaves out an object"),
      Param.number("attribute_drop_rate", D.attributeDropRate(), 0, false, 1,
          "chance a mention leaves out colour, size"),
      Param.number("spatial_rate", D.spatialRate(), 0, false, 1, "chance a mention names the position"),
      Param.integer("captions_per_image", D.captionsPerImage(), 1, "captions per image"),
      Param.integer("seed", (int) D.seed(), 0, "everything generated derives from it"),
      Param.integer("domain", D.domain(), 0,
          "related domain (0: the source); another draws other scenes and re-draws projection_shift of the feature projection"),
      Param.number("projection_shift", D.projectionShift(), 0, false, 1,
          "share of the feature projection's columns a domain other than 0 re-draws"));

  private SyntheticParams() {}

  /** Checks {@code raw} (key → text or number) and builds the config; throws {@link SpecException}. */
  static SyntheticConfig config(Map<String, ?> raw) {
    SortedMap<String, Object> v = Params.resolve("synthetic dataset", PARAMS, raw, SpecException::new);
    return new SyntheticConfig(
        integer(v, "train_images"), integer(v, "dev_images"), integer(v, "test_images"),
        integer(v, "min_objects"), integer(v, "max_objects"),
        integer(v, "colours"), integer(v, "shapes"), integer(v, "sizes"), integer(v, "grid"),
        integer(v, "regions"), integer(v, "dim"),
        number(v, "noise"), number(v, "object_drop_rate"), number(v, "attribute_drop_rate"), number(v, "spatial_rate"),
        integer(v, "captions_per_image"), integer(v, "seed"), integer(v, "domain"), number(v, "projection_shift"));
  }

  /** Every knob of {@code c}, by its matrix key, sorted. */
  static SortedMap<String, Object> values(SyntheticConfig c) {
    SortedMap<String, Object> v = new TreeMap<>();
    v.put("train_images", c.trainImages());
    v.put("dev_images", c.devImages());
    v.put("test_images", c.testImages());
    v.put("min_objects", c.minObjects());
    v.put("max_objects", c.maxObjects());
    v.put("colours", c.colours());
    v.put("shapes", c.shapes());
    v.put("sizes", c.sizes());
    v.put("grid", c.grid());
    v.put("regions", c.regions());
    v.put("dim", c.dim());
    v.put("noise", c.noise());
    v.put("object_drop_rate", c.objectDropRate());
    v.put("attribute_drop_rate", c.attributeDropRate());
    v.put("spatial_rate", c.spatialRate());
    v.put("captions_per_image", c.captionsPerImage());
    v.put("seed", c.seed());
    if (c.domain() != 0) {
      // the source domain lists the knobs it had before domains existed (stored matrices read the same)
      v.put("domain", c.domain());
      v.put("projection_shift", c.projectionShift());
    }
    return v;
  }

  private static int integer(Map<String, Object> v, String key) {
    return ((Number) v.get(key)).intValue();
  }

  private static double number(Map<String, Object> v, String key) {
    return ((Number) v.get(key)).doubleValue();
  }
}
