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
    NDArray bias = SoftPlusSum.exclusionBias(negatives);
    // γ(s_ij − s_ii + m) as γ·s_ij − (γ·s_ii − γm): one B × B product shared by both directions
    NDArray scaled = Scalars.mul(sims, gamma);
    NDArray shift = Scalars.mul(Diagonal.column(sims), gamma).sub(gamma * margin);
    NDArray i2t = SoftPlusSum.rows(scaled.sub(shift), bias);
    NDArray t2i = SoftPlusSum.rows(scaled.transpose().sub(shift), bias);
    return normalize ? new LossTerms(Scalars.div(i2t, gamma), Scalars.div(t2i, gamma)) : new LossTerms(i2t, t2i);
  }
}
