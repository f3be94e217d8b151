package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;
import dev.lossbench.retrieval.model.Scalars;

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
  public LossTerms terms(NDArray sims, NDArray negatives, LossContext context) {
    boolean max = hardestAt(context.epoch());
    NDArray bias = SoftPlusSum.exclusionBias(negatives);
    NDArray threshold = Diagonal.column(sims).sub(margin); // s_ii − m
    NDArray i2t = hinge(sims.sub(threshold).add(bias), max);
    NDArray t2i = hinge(sims.transpose().sub(threshold).add(bias), max);
    return new LossTerms(i2t, t2i);
  }

  /**
   * Rows of {@code [m + s_ij − s_ii]_+} over negatives (others are pushed far below zero, so the
   * hinge zeroes them). The hardest hinge is the hinge of the row maximum: one clamp per row
   * instead of one per entry.
   */
  private static NDArray hinge(NDArray violation, boolean max) {
    return max ? Scalars.maximum(violation.max(new int[] {1}), 0) : Scalars.maximum(violation, 0).sum(new int[] {1});
  }
}
