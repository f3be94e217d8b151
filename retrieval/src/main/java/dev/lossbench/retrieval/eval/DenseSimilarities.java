package dev.lossbench.retrieval.eval;

import dev.lossbench.retrieval.npy.NpyArray;

/** A similarity matrix stored row-major: in a double array (float32 input widened exactly, float64 kept), or memory-mapped from a 2-D {@code .npy}. */
public final class DenseSimilarities implements SimilaritySource {
  private final int images;
  private final int captions;
  private final double[] values;
  private final NpyArray file;

  private DenseSimilarities(int images, int captions, double[] values, NpyArray file) {
    this.images = images;
    this.captions = captions;
    this.values = values;
    this.file = file;
  }

  /** An in-memory matrix (for tests and small inputs). */
  public static DenseSimilarities of(float[] rowMajor, int images, int captions) {
    double[] wide = new double[rowMajor.length];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = rowMajor[i];
    }
    return of(wide, images, captions);
  }

  /** An in-memory float64 matrix, ranked in float64. */
  public static DenseSimilarities of(double[] rowMajor, int images, int captions) {
    if ((long) images * captions != rowMajor.length) {
      throw new IllegalArgumentException(rowMajor.length + " values for a " + images + " × " + captions + " matrix");
    }
    return new DenseSimilarities(images, captions, rowMajor, null);
  }

  /** A memory-mapped images × captions {@code .npy}; rows are read tile by tile, never all at once. */
  public static DenseSimilarities of(NpyArray sims) {
    sims.requireDims(2, "images × captions similarities").requireFloating();
    return new DenseSimilarities(Math.toIntExact(sims.dim(0)), Math.toIntExact(sims.dim(1)), null, sims);
  }

  @Override
  public int images() {
    return images;
  }

  @Override
  public int captions() {
    return captions;
  }

  @Override
  public void tile(int imageStart, int imageCount, int captionStart, int captionCount, double[] dst) {
    for (int r = 0; r < imageCount; r++) {
      long from = (long) (imageStart + r) * captions + captionStart;
      if (values != null) {
        System.arraycopy(values, (int) from, dst, r * captionCount, captionCount);
      } else {
        file.readDoubles(from, dst, r * captionCount, captionCount); // float64 stays float64
      }
    }
  }
}
