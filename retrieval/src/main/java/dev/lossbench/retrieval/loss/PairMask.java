package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Which entries of a B × B similarity matrix are negatives. Pair i's positive is {@code S[i][i]};
 * another pair j is a negative of i only when its group (image id) differs, so two captions of one
 * image in a batch are neither positives nor negatives of each other. The relation is symmetric,
 * so the same mask serves both directions.
 */
public final class PairMask {
  private final int batch;
  private final long[] groups;

  private PairMask(int batch, long[] groups) {
    this.batch = batch;
    this.groups = groups;
  }

  /** Every off-diagonal pair is a negative (one caption per image in the batch). */
  public static PairMask distinct(int batch) {
    return new PairMask(batch, null);
  }

  /** Pairs sharing a group id are excluded from each other's negatives. */
  public static PairMask ofGroups(long[] groups) {
    return new PairMask(groups.length, groups.clone());
  }

  public int batch() {
    return batch;
  }

  /** Whether j is a negative for anchor i. */
  public boolean isNegative(int i, int j) {
    return i != j && (groups == null || groups[i] != groups[j]);
  }

  /** The mask as 1 (negative) / 0 (positive or excluded), B × B, in {@code type}. */
  public NDArray negatives(NDManager manager, DataType type) {
    float[] m = new float[batch * batch];
    for (int i = 0; i < batch; i++) {
      for (int j = 0; j < batch; j++) {
        m[i * batch + j] = isNegative(i, j) ? 1f : 0f;
      }
    }
    return manager.create(m, new Shape(batch, batch)).toType(type, false);
  }

  /** Number of negatives of anchor i (the same in both directions). */
  public int negativeCount(int i) {
    int n = 0;
    for (int j = 0; j < batch; j++) {
      if (isNegative(i, j)) {
        n++;
      }
    }
    return n;
  }
}
