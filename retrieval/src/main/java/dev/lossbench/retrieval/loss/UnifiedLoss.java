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
    // log(1 + Σ_neg exp(γ(s_ij − s_ii + m))) is the cross-entropy at the positive of γs with the
    // diagonal lowered by γm (see PositiveSoftmax): one log-softmax per direction
    LossTerms t = PositiveSoftmax.terms(Scalars.mul(sims, gamma), PositiveSoftmax.bias(negatives, gamma * margin));
    return normalize ? new LossTerms(Scalars.div(t.i2t(), gamma), Scalars.div(t.t2i(), gamma)) : t;
  }
}
