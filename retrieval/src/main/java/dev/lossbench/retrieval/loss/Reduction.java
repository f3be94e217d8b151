package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;
import dev.lossbench.retrieval.engine.Scalars;
import java.util.Locale;

/**
 * How per-anchor terms become one number, and how the two directions (image→text, text→image)
 * combine. VSE/VSE++/VSE∞ sum both; CLIP averages both.
 */
public enum Reduction {
  MEAN,
  SUM;

  /** Reduces a vector of per-anchor terms. */
  public NDArray over(NDArray perAnchor) {
    return this == MEAN ? perAnchor.mean() : perAnchor.sum();
  }

  /** Combines the two directions' reduced values. */
  public NDArray combine(NDArray i2t, NDArray t2i) {
    NDArray both = i2t.add(t2i);
    return this == MEAN ? Scalars.div(both, 2) : both;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Reduction parse(String key, String value) {
    for (Reduction r : values()) {
      if (r.key().equals(value)) {
        return r;
      }
    }
    throw new LossSpecException(key + "=" + value + " is not allowed: expected mean or sum");
  }
}
