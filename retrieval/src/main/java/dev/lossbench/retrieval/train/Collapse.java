package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.eval.RecallMetrics;
import java.util.List;
import java.util.Locale;

/**
 * Training that went wrong without a NaN: a learning rate so large that every embedding lands on
 * the same point (or every similarity saturates) leaves finite losses and a validation score — at
 * chance — that would otherwise be ranked as a result. Two signs, checked after every epoch's
 * validation, end the run as diverged:
 *
 * <ul>
 *   <li><b>collapsed embeddings</b>: every validation image–caption similarity lies within
 *       {@value #SIMILARITY_SPREAD} of every other (all rankings are ties), at any epoch;
 *   <li><b>no learning</b>: for {@value #WINDOW} consecutive epochs after the first
 *       ({@value #WARMUP_EPOCHS} warm-up epoch, when a schedule or a loss's warm-up may still hold
 *       the model back) validation rSum stays at chance — at most {@value #CHANCE_FACTOR} × the
 *       chance rSum — and the mean training loss is constant — every one within a relative
 *       {@value #LOSS_RELATIVE_TOLERANCE} of the others.
 * </ul>
 *
 * <p>Chance is what a random ranking scores: R@K = K/N in each direction for N validation images
 * (capped at 100%), so rSum = 2 · 100 · Σ min(1, K/N) for K ∈ {1, 5, 10}, i.e. 3200/N for N ≥ 10.
 * A learning model leaves chance within an epoch or two on every dataset lossbench knows; one that
 * is merely slow still changes its loss by far more than the tolerance, which is meant for the
 * bit-identical losses of a model that no longer moves.
 */
final class Collapse {
  /** Similarities closer than this are ties: the embeddings collapsed. */
  static final double SIMILARITY_SPREAD = 1e-6;
  /** Epochs at the start that "no learning" does not look at. */
  static final int WARMUP_EPOCHS = 1;
  /** Consecutive epochs at chance with a constant loss that end the run. */
  static final int WINDOW = 3;
  /** rSum up to this multiple of the chance rSum counts as chance (sampling noise of small sets). */
  static final double CHANCE_FACTOR = 1.5;
  /** Losses whose spread is within this share of their magnitude count as constant. */
  static final double LOSS_RELATIVE_TOLERANCE = 1e-5;

  private static final int[] KS = {1, 5, 10};

  private Collapse() {}

  /** The rSum of a random ranking of {@code images} validation images (in percent, as {@link RecallMetrics}). */
  static double chanceRsum(int images) {
    double sum = 0;
    for (int k : KS) {
      sum += 100.0 * Math.min(1.0, (double) k / images);
    }
    return 2 * sum;
  }

  /** Why the embeddings count as collapsed, or null. */
  static String collapsedEmbeddings(double similaritySpread) {
    if (similaritySpread <= SIMILARITY_SPREAD) {
      return String.format(Locale.ROOT,
          "embeddings collapsed: all validation image-caption similarities lie within %.0e"
              + " of each other (spread at most %.2g), so every ranking is a tie; lower the learning rate",
          SIMILARITY_SPREAD, similaritySpread);
    }
    return null;
  }

  /** Why {@code history} (every epoch so far, in order) shows no learning, or null. */
  static String noLearning(List<EpochMetrics> history, int devImages) {
    int n = history.size();
    if (n < WARMUP_EPOCHS + WINDOW) {
      return null;
    }
    List<EpochMetrics> window = history.subList(n - WINDOW, n);
    double chance = chanceRsum(devImages);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    double maxRsum = 0;
    for (EpochMetrics m : window) {
      if (!(m.validation().rsum() <= CHANCE_FACTOR * chance)) {
        return null;
      }
      maxRsum = Math.max(maxRsum, m.validation().rsum());
      lo = Math.min(lo, m.trainLoss());
      hi = Math.max(hi, m.trainLoss());
    }
    double scale = Math.max(Math.abs(lo), Math.abs(hi));
    if (!(hi - lo <= LOSS_RELATIVE_TOLERANCE * scale)) {
      return null;
    }
    return String.format(Locale.ROOT, "no learning: for %d epochs (%d to %d) validation rSum stayed at chance"
        + " (at most %.2f; chance is %.2f for %d images) and the training loss was constant (%.6g); lower the learning rate",
        WINDOW, window.get(0).epoch(), window.get(WINDOW - 1).epoch(), maxRsum, chance, devImages, hi);
  }
}
