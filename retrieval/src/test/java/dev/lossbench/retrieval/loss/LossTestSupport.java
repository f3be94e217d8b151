package dev.lossbench.retrieval.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;

/** Random inputs and DJL round trips shared by the loss tests. */
final class LossTestSupport {
  private LossTestSupport() {}

  /** Similarities in [−1, 1], as cosine similarities are. */
  static double[][] randomSims(Random rnd, int b) {
    double[][] s = new double[b][b];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        s[i][j] = rnd.nextDouble() * 2 - 1;
      }
    }
    return s;
  }

  /** Group ids with some repeats (several captions of one image in a batch). */
  static long[] randomGroups(Random rnd, int b) {
    long[] g = new long[b];
    for (int i = 0; i < b; i++) {
      g[i] = rnd.nextInt(Math.max(1, b * 2 / 3));
    }
    return g;
  }

  static NDArray toNd(NDManager m, double[][] s, DataType type) {
    int b = s.length;
    double[] flat = new double[b * b];
    for (int i = 0; i < b; i++) {
      System.arraycopy(s[i], 0, flat, i * b, b);
    }
    return m.create(flat, new Shape(b, b)).toType(type, false);
  }

  static PairMask mask(long[] groups, int b) {
    return groups == null ? PairMask.distinct(b) : PairMask.ofGroups(groups);
  }

  /** Per-anchor terms from DJL as doubles [direction][anchor]. */
  static double[][] terms(NDManager m, LossSpec spec, double[][] s, long[] groups, DataType type, int epoch) {
    try (NDManager sub = m.newSubManager()) {
      NDArray sims = toNd(sub, s, type);
      LossTerms t = spec.create().terms(sims, mask(groups, s.length), LossContext.epoch(epoch));
      return new double[][]{toDoubles(t.i2t()), toDoubles(t.t2i())};
    }
  }

  static double[] toDoubles(NDArray a) {
    return a.toType(DataType.FLOAT64, false).toDoubleArray();
  }

  /** The scalar loss and its gradient with respect to the similarities, through DJL autograd. */
  static double[][] lossAndGradient(NDManager m, LossSpec spec, double[][] s, long[] groups, DataType type, int epoch) {
    try (NDManager sub = m.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray sims = toNd(sub, s, type);
      sims.setRequiresGradient(true);
      NDArray loss = spec.create().loss(sims, mask(groups, s.length), LossContext.epoch(epoch));
      gc.backward(loss);
      return new double[][]{{loss.toType(DataType.FLOAT64, false).getDouble()}, toDoubles(sims.getGradient())};
    }
  }
}
