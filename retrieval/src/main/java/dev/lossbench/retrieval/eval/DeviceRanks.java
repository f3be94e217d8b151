package dev.lossbench.retrieval.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RecallAtK}'s ranks computed where the embeddings live: every tile is produced, compared and
 * counted on the device, and only the N + N·K ranks (and one NaN count) come back to the host. On
 * a GPU this replaces copying every tile to the host; the rule is {@link RecallAtK}'s exactly —
 * a query's rank counts candidates with a higher score, plus equal scores at a lower index — and
 * each positive is taken from the very matrix product it is ranked against (a product computed
 * another way could round differently and rank a pair ahead of itself).
 *
 * <p>Tiles are {@code tileImages} images × their {@code tileImages·K} captions, as in {@link RecallAtK}.
 */
public final class DeviceRanks {
  private final int captionsPerImage;
  private final int tileImages;

  public DeviceRanks(int captionsPerImage, int tileImages) {
    if (captionsPerImage < 1 || tileImages < 1) {
      throw new IllegalArgumentException("captions per image and tile size must be >= 1");
    }
    this.captionsPerImage = captionsPerImage;
    this.tileImages = tileImages;
  }

  /**
   * Ranks of N image rows against N·K caption rows (both on one device, same data type).
   *
   * @throws InvalidInputException when a similarity is NaN (found by the host path, which names it)
   */
  public RetrievalRanks ranks(NDArray images, NDArray captions) {
    int n = Math.toIntExact(images.getShape().get(0));
    int k = captionsPerImage;
    if ((long) n * k != captions.getShape().get(0)) {
      throw new InvalidInputException("expected " + k + " captions per image: " + n + " images need "
          + (long) n * k + " captions, got " + captions.getShape().get(0));
    }
    int tiles = (n + tileImages - 1) / tileImages;
    try (NDManager scope = images.getManager().newSubManager()) {
      // positives from the band tiles: each image's best caption (first among equal maxima) and each caption's score
      List<NDArray> bestScore = new ArrayList<>();
      List<NDArray> bestCaption = new ArrayList<>();
      List<NDArray> captionPositive = new ArrayList<>();
      List<NDArray> i2t = new ArrayList<>();
      List<NDArray> t2i = new ArrayList<>();
      NDArray nans = null;
      for (int t = 0; t < tiles; t++) {
        int i0 = t * tileImages;
        int ni = Math.min(tileImages, n - i0);
        NDArray band = tile(scope, images, captions, i0, ni, i0 * k, ni * k);
        // column r·K + q of row r is image r's q-th caption
        NDArray own = scope.arange(0, ni * k, k, DataType.INT64).reshape(ni, 1)
            .add(scope.arange(0, k, 1, DataType.INT64).reshape(1, k));
        NDArray pos = band.gather(own, 1);
        bestScore.add(pos.max(new int[]{1}));
        bestCaption.add(pos.argMax(1).add(scope.arange(i0 * k, (i0 + ni) * k, k, DataType.INT64)));
        captionPositive.add(pos.reshape(ni * k));
        i2t.add(scope.zeros(new Shape(ni), DataType.INT64));
        t2i.add(scope.zeros(new Shape((long) ni * k), DataType.INT64));
      }
      for (int ti = 0; ti < tiles; ti++) {
        int i0 = ti * tileImages;
        int ni = Math.min(tileImages, n - i0);
        NDArray p = bestScore.get(ti).reshape(ni, 1);
        NDArray pc = bestCaption.get(ti).reshape(ni, 1);
        NDArray imageIndex = scope.arange(i0, i0 + ni, 1, DataType.INT64).reshape(ni, 1);
        for (int tc = 0; tc < tiles; tc++) {
          int c0 = tc * tileImages * k;
          int nc = Math.min(tileImages, n - tc * tileImages) * k;
          try (NDManager step = scope.newSubManager()) {
            NDArray s = tile(step, images, captions, i0, ni, c0, nc);
            NDArray captionIndex = step.arange(c0, c0 + nc, 1, DataType.INT64).reshape(1, nc);
            NDArray q = captionPositive.get(tc).reshape(1, nc);
            int m = nc / k;
            NDArray captionImage = step.arange(c0 / k, c0 / k + m, 1, DataType.INT64).reshape(m, 1)
                .broadcast(new Shape(m, k)).reshape(1, nc);
            NDArray aheadOfImage = s.gt(p).logicalOr(s.eq(p).logicalAnd(captionIndex.lt(pc)));
            NDArray aheadOfCaption = s.gt(q).logicalOr(s.eq(q).logicalAnd(imageIndex.lt(captionImage)));
            i2t.get(ti).addi(aheadOfImage.countNonzero(1).toType(DataType.INT64, false));
            t2i.get(tc).addi(aheadOfCaption.countNonzero(0).toType(DataType.INT64, false));
            NDArray tileNans = s.isNaN().countNonzero().toType(DataType.INT64, false);
            if (nans == null) {
              nans = tileNans;
              nans.attach(scope);
            } else {
              nans.addi(tileNans);
            }
          }
        }
      }
      // the only reads: one count, then the ranks
      long nanCount = nans.getLong();
      if (nanCount > 0) {
        throw new InvalidInputException(nanCount + " of the " + (long) n * n * k + " similarities are NaN");
      }
      return new RetrievalRanks(toInts(NDArrays.concat(new NDList(i2t))), toInts(NDArrays.concat(new NDList(t2i))));
    }
  }

  private static NDArray tile(NDManager into, NDArray images, NDArray captions, int i0, int ni, int c0, int nc) {
    NDArray a = images.get(new NDIndex("{}:{}", i0, i0 + ni));
    NDArray b = captions.get(new NDIndex("{}:{}", c0, c0 + nc));
    a.attach(into);
    b.attach(into);
    NDArray product = a.matMul(b.transpose());
    product.attach(into);
    return product;
  }

  private static int[] toInts(NDArray counts) {
    long[] longs = counts.toLongArray();
    int[] out = new int[longs.length];
    for (int i = 0; i < longs.length; i++) {
      out[i] = Math.toIntExact(longs[i]);
    }
    return out;
  }
}
