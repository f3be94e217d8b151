package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;
import dev.lossbench.retrieval.engine.Scalars;

/**
 * Hinge triplet loss on in-batch similarities, per anchor either summed over all negatives (VSE0,
 * {@code triplet}) or taken at the hardest negative (VSE++ / VSE∞, {@code triplet-hn}).
 *
 * <p>With {@code warmupEpochs > 0}, {@code triplet-hn} uses the sum over negatives in epochs
 * {@code 0 … warmupEpochs − 1} and switches to the hardest negative afterwards, as VSE∞ does; the
 * mode is a function of the epoch alone, so a resumed run picks the same mode.
 */
public final class TripletLoss extends SpecifiedLoss {
  private final double margin;
  private final boolean hardest;
  private final int warmupEpochs;

  TripletLoss(LossSpec spec, double margin, boolean hardest, int warmupEpochs) {
    super(spec);
    this.margin = margin;
    this.hardest = hardest;
    this.warmupEpochs = warmupEpochs;
  }

  /** Whether the given epoch mines the hardest negative (false during warm-up and for {@code triplet}). */
  public boolean hardestAt(int epoch) {
    return hardest && epoch >= warmupEpochs;
  }

  @Override
  public boolean switchesModeAt(int epoch) {
    return epoch > 0 && hardestAt(epoch) && !hardestAt(epoch - 1);
  }

  @Override
  public LossTerms terms(NDArray sims, NDArray negatives, LossContext context) {
    // entry (i, j) is image i against text j in both directions: rows are images' negatives,
    // columns texts' — so one masked matrix serves both and nothing is transposed
    NDArray masked = sims.add(SoftPlusSum.exclusionBias(negatives));
    NDArray threshold = Diagonal.column(sims).sub(margin); // s_ii − m, B × 1
    if (hardestAt(context.epoch())) {
      // [m + max_j s_ij − s_ii]_+: the hinge of the row (column) maximum, one clamp per anchor
      NDArray thresholds = threshold.squeeze(1);
      return new LossTerms(Scalars.maximum(masked.max(new int[]{1}).sub(thresholds), 0),
          Scalars.maximum(masked.max(new int[]{0}).sub(thresholds), 0));
    }
    return new LossTerms(Scalars.maximum(masked.sub(threshold), 0).sum(new int[]{1}),
        Scalars.maximum(masked.sub(threshold.transpose()), 0).sum(new int[]{0}));
  }
}
