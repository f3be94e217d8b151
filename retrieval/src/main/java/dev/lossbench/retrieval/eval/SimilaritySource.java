package dev.lossbench.retrieval.eval;

/**
 * An images × captions similarity matrix that is produced or read one tile at a time, so the whole
 * matrix never sits in memory. Each entry must be produced exactly once per evaluation (it is), so
 * a positive and the candidates it is compared with always carry the same value.
 */
public interface SimilaritySource {
  int images();

  int captions();

  /**
   * Fills {@code dst} (row-major, {@code imageCount × captionCount}) with
   * {@code S[imageStart + r][captionStart + c]}.
   */
  void tile(int imageStart, int imageCount, int captionStart, int captionCount, double[] dst);

  /** The sub-matrix of images {@code [imageStart, imageStart + imageCount)} and their captions (for folds). */
  default SimilaritySource subset(int imageStart, int imageCount, int captionStart, int captionCount) {
    SimilaritySource parent = this;
    return new SimilaritySource() {
      @Override
      public int images() {
        return imageCount;
      }

      @Override
      public int captions() {
        return captionCount;
      }

      @Override
      public void tile(int i0, int ni, int c0, int nc, double[] dst) {
        parent.tile(imageStart + i0, ni, captionStart + c0, nc, dst);
      }
    };
  }
}
