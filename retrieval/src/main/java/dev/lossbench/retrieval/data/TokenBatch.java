package dev.lossbench.retrieval.data;

/**
 * Token ids of a batch of captions, row-major {@code size × length}, padded with
 * {@link Vocabulary#PAD} after each caption's {@code lengths[b]} real tokens.
 */
public record TokenBatch(int size, int length, int[] ids, int[] lengths) {
  public TokenBatch {
    if (ids.length != size * length || lengths.length != size) {
      throw new IllegalArgumentException("ids hold " + ids.length + " and lengths " + lengths.length
          + " entries for " + size + " × " + length);
    }
  }
}
