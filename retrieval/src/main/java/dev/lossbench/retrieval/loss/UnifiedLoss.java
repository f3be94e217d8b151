package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;
import dev.lossbench.retrieval.model.Scalars;

/**
 * The unified loss of Li et al. (2022): per anchor {@code log(1 + Σ_neg exp(γ(s_n − s_p + m)))}.
 *
 * <p>γ = 1/τ, m = 0 gives InfoNCE exactly; with {@code normalize} (divide by γ) it approaches
 * Triplet-HN's hardest-negative hinge as γ → ∞, within {@code log(1 + N)/γ} for N negatives.
 */
public final class UnifiedLoss extends SpecifiedLoss {
  private final double gamma;
  private final double margin;
  private final boolean normalize;

  UnifiedLoss(LossSpec spec, double gamma, double margin, boolean normalize) {
    super(spec);
    this.gamma = gamma;
    this.margin = margin;
    this.normalize = normalize;
  }

  @Override
  public LossTerms terms(NDArray sims, NDArray negatives, LossContext context) {
    NDArray pos = Diagonal.column(sims);
    NDArray i2t = SoftPlusSum.rows(Scalars.mul(sims.sub(pos).add(margin), gamma), negatives);
    NDArray t2i = SoftPlusSum.rows(Scalars.mul(sims.transpose().sub(pos).add(margin), gamma), negatives.transpose());
    return normalize ? new LossTerms(Scalars.div(i2t, gamma), Scalars.div(t2i, gamma)) : new LossTerms(i2t, t2i);
  }
}
