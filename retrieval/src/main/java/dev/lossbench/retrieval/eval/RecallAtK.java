package dev.lossbench.retrieval.eval;

import dev.lossbench.retrieval.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Recall@K for image↔text retrieval exactly as VSE++/VSE∞/CLIP4Clip report it, computed tile by
 * tile.
 *
 * <p><b>Ranks.</b> A query's rank is the number of candidates that come before its ground truth:
 * candidates with a strictly higher score, plus candidates with an equal score and a lower index
 * (ties are broken by index, lower first — the order a stable sort by descending score gives).
 * Image→text takes the best rank over the image's K captions; text→image ranks the caption's one
 * image. With K = 1 (MSR-VTT 1k-A) the two directions are symmetric.
 *
 * <p><b>Tiles.</b> The matrix is visited in tiles of {@code B} images × their {@code B·K}
 * captions. The tiles on the diagonal band, which hold every positive, are computed first and
 * also counted then; every other tile is computed once afterwards. So the full matrix is never
 * held (peak: one tile plus O(N·K) counters), each entry is produced exactly once, and a positive
 * is compared with the very values it is ranked against.
 */
public final class RecallAtK {
  /** Images per tile: 1024 × 5120 doubles (40 MiB; double so that float64 input is ranked exactly) keeps the engine's matrix products efficient. */
  public static final int DEFAULT_TILE_IMAGES = 1024;

  private final int captionsPerImage;
  private final int tileImages;

  public RecallAtK(int captionsPerImage) {
    this(captionsPerImage, DEFAULT_TILE_IMAGES);
  }

  public RecallAtK(int captionsPerImage, int tileImages) {
    if (captionsPerImage < 1) {
      throw new InvalidInputException("captions per image must be >= 1, got " + captionsPerImage);
    }
    if (tileImages < 1) {
      throw new IllegalArgumentException("tile size must be >= 1, got " + tileImages);
    }
    this.captionsPerImage = captionsPerImage;
    this.tileImages = tileImages;
  }

  /** All images and captions at once (COCO 5K, Flickr30K 1K test, MSR-VTT 1k-A). */
  public RecallMetrics evaluate(SimilaritySource sims) {
    return ranks(sims).metrics();
  }

  /**
   * The mean over {@code folds} equal folds of images with their captions (COCO 1K: 5 folds of
   * 1000 images and 5000 captions).
   */
  public RecallMetrics evaluateFolds(SimilaritySource sims, int folds) {
    check(sims);
    if (folds < 1 || sims.images() % folds != 0) {
      throw new InvalidInputException(sims.images() + " images cannot be split into " + folds + " equal folds");
    }
    int per = sims.images() / folds;
    List<RecallMetrics> each = new ArrayList<>();
    for (int f = 0; f < folds; f++) {
      each.add(ranks(sims.subset(f * per, per, f * per * captionsPerImage, per * captionsPerImage)).metrics());
    }
    return RecallMetrics.mean(each);
  }

  /** 0-based ranks of every image and caption query. */
  public RetrievalRanks ranks(SimilaritySource sims) {
    check(sims);
    int n = sims.images();
    int k = captionsPerImage;
    int tiles = (n + tileImages - 1) / tileImages;
    double[] buf = new double[Math.min(tileImages, n) * Math.min(tileImages, n) * k];

    // Positives: for each image the best of its captions (highest score, lowest index among
    // ties; by the rank rule its rank is the image's best), and for each caption its own score.
    double[] bestScore = new double[n];
    int[] bestCaption = new int[n];
    double[] captionPositive = new double[n * k];
    int[] i2t = new int[n];
    int[] t2i = new int[n * k];

    for (int t = 0; t < tiles; t++) {
      int i0 = t * tileImages;
      int ni = Math.min(tileImages, n - i0);
      sims.tile(i0, ni, i0 * k, ni * k, buf);
      int width = ni * k;
      for (int r = 0; r < ni; r++) {
        int base = r * width + r * k;
        int best = 0;
        for (int q = 0; q < k; q++) {
          captionPositive[(i0 + r) * k + q] = buf[base + q];
          if (buf[base + q] > buf[base + best]) {
            best = q;
          }
        }
        bestScore[i0 + r] = buf[base + best];
        bestCaption[i0 + r] = (i0 + r) * k + best;
      }
      count(buf, i0, ni, i0 * k, width, bestScore, bestCaption, captionPositive, i2t, t2i);
    }
    for (int ti = 0; ti < tiles; ti++) {
      int i0 = ti * tileImages;
      int ni = Math.min(tileImages, n - i0);
      for (int tc = 0; tc < tiles; tc++) {
        if (tc == ti) {
          continue;
        }
        int c0 = tc * tileImages * k;
        int nc = Math.min(tileImages, n - tc * tileImages) * k;
        sims.tile(i0, ni, c0, nc, buf);
        count(buf, i0, ni, c0, nc, bestScore, bestCaption, captionPositive, i2t, t2i);
      }
    }
    return new RetrievalRanks(i2t, t2i);
  }

  /** Adds, for one tile, the candidates that come before each query's ground truth. */
  private void count(double[] tile, int i0, int ni, int c0, int nc, double[] bestScore, int[] bestCaption,
      double[] captionPositive, int[] i2t, int[] t2i) {
    int k = captionsPerImage;
    for (int r = 0; r < ni; r++) {
      int image = i0 + r;
      double p = bestScore[image];
      int pc = bestCaption[image];
      int ahead = 0;
      int rowBase = r * nc;
      for (int c = 0; c < nc; c++) {
        double v = tile[rowBase + c];
        if (Double.isNaN(v)) {
          throw new InvalidInputException("similarity of image " + image + " and caption " + (c0 + c) + " is NaN");
        }
        if (v > p || (v == p && c0 + c < pc)) {
          ahead++;
        }
        int caption = c0 + c;
        double q = captionPositive[caption];
        if (v > q || (v == q && image < caption / k)) {
          t2i[caption]++;
        }
      }
      i2t[image] += ahead;
    }
  }

  private void check(SimilaritySource sims) {
    if (sims.images() < 1) {
      throw new InvalidInputException("no images to evaluate");
    }
    if ((long) sims.images() * captionsPerImage != sims.captions()) {
      throw new InvalidInputException("expected " + captionsPerImage + " captions per image: "
          + sims.images() + " images need " + (long) sims.images() * captionsPerImage + " captions, got "
          + sims.captions());
    }
  }
}
