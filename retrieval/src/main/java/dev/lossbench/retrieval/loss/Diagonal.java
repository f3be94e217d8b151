package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** The positives of a B × B similarity matrix as a B × 1 column (broadcasts against rows). */
final class Diagonal {
  private Diagonal() {}

  static NDArray column(NDArray sims) {
    long b = sims.getShape().get(0);
    NDArray eye = sims.getManager().eye((int) b).toType(sims.getDataType(), false);
    return sims.mul(eye).sum(new int[] {1}).reshape(new Shape(b, 1));
  }
}
