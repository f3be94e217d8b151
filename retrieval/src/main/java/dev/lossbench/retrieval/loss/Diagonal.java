package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/** The positives of a B × B similarity matrix as a B × 1 column (broadcasts against rows). */
final class Diagonal {
  private Diagonal() {}

  /** Every (B+1)-th element of the flattened matrix: B reads, where an eye-mask would cost B² work. */
  static NDArray column(NDArray sims) {
    long b = sims.getShape().get(0);
    return sims.reshape(-1).get(new NDIndex("::" + (b + 1))).reshape(new Shape(b, 1));
  }
}
