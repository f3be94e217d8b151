package dev.lossbench.retrieval.data;

/**
 * Features of a batch of images (or videos), row-major {@code size × regions × dim}, plus how many
 * leading regions of each item are real: the rest are zero padding (videos shorter than the
 * frame budget) that pooling must mask out. Plain arrays so the training loop decides when and
 * on which device they become NDArrays.
 */
public record RegionBatch(int size, int regions, int dim, float[] features, int[] validRegions) {
  public RegionBatch {
    if (features.length != (long) size * regions * dim || validRegions.length != size) {
      throw new IllegalArgumentException("features hold " + features.length + " floats and validRegions "
          + validRegions.length + " entries for " + size + " × " + regions + " × " + dim);
    }
  }

  /** Offset of item {@code b}'s first feature in {@link #features()}. */
  public int offset(int b) {
    return b * regions * dim;
  }
}
