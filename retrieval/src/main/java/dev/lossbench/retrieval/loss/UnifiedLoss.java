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
    // a model that brings its own learnable scale (a torchscript model with learnable_scale) sets γ = exp(logit_scale)
    if (context.logLogitScale() != null) {
      return learnableTerms(sims, negatives, context.logLogitScale().exp().clip(0, InfoNceLoss.MAX_LOGIT_SCALE));
    }
    NDArray bias = SoftPlusSum.exclusionBias(negatives);
    // γ(s_ij − s_ii + m) as γ·s_ij − (γ·s_ii − γm): one B × B product shared by both directions
    NDArray scaled = Scalars.mul(sims, gamma);
    NDArray shift = Scalars.mul(Diagonal.column(sims), gamma).sub(gamma * margin);
    NDArray i2t = SoftPlusSum.rows(scaled.sub(shift), bias);
    NDArray t2i = SoftPlusSum.rows(scaled.transpose().sub(shift), bias);
    return normalize ? new LossTerms(Scalars.div(i2t, gamma), Scalars.div(t2i, gamma)) : new LossTerms(i2t, t2i);
  }

  /** The same terms with γ a 0-d array from the model (gradients reach it). */
  private LossTerms learnableTerms(NDArray sims, NDArray negatives, NDArray g) {
    NDArray bias = SoftPlusSum.exclusionBias(negatives);
    NDArray scaled = sims.mul(g);
    NDArray shift = Diagonal.column(sims).mul(g).sub(Scalars.mul(g, margin));
    NDArray i2t = SoftPlusSum.rows(scaled.sub(shift), bias);
    NDArray t2i = SoftPlusSum.rows(scaled.transpose().sub(shift), bias);
    return normalize ? new LossTerms(i2t.div(g), t2i.div(g)) : new LossTerms(i2t, t2i);
  }
}
