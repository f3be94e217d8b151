package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;
import dev.lossbench.retrieval.engine.Scalars;

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

  /** γ is the model's exp(logit_scale) when the model spec asks for it; lossbench's models do not offer one. */
  @Override
  public boolean usesModelScale(boolean modelOffersScale) {
    return modelOffersScale;
  }

  /** A model's learnable scale starts at this loss's γ (the label's γ is where training starts, not ignored). */
  @Override
  public double initialScale() {
    return gamma;
  }

  @Override
  public LossTerms terms(NDArray sims, NDArray negatives, LossContext context) {
    // a model that brings its own learnable scale (a torchscript model with learnable_scale) sets γ = exp(logit_scale);
    // not clipped here (that would zero its gradient): the step clamps the parameter, as CLIP does
    if (context.logLogitScale() != null) {
      return learnableTerms(sims, negatives, context.logLogitScale().exp());
    }
    // log(1 + Σ_neg exp(γ(s_ij − s_ii + m))) is the cross-entropy at the positive of γs with the
    // diagonal lowered by γm (see PositiveSoftmax): one log-softmax per direction
    LossTerms t = PositiveSoftmax.terms(Scalars.mul(sims, gamma), PositiveSoftmax.bias(negatives, gamma * margin));
    return normalize ? new LossTerms(Scalars.div(t.i2t(), gamma), Scalars.div(t.t2i(), gamma)) : t;
  }

  /** The same terms with γ a 0-d array from the model (gradients reach it): logits γ(s − m·I). */
  private LossTerms learnableTerms(NDArray sims, NDArray negatives, NDArray g) {
    int b = (int) sims.getShape().get(0);
    // the margin on the diagonal is a constant (no gradient), so a number operand is safe here
    NDArray marginOnDiagonal = sims.getManager().eye(b).toType(sims.getDataType(), false).mul(margin);
    LossTerms t = PositiveSoftmax.terms(sims.sub(marginOnDiagonal).mul(g), PositiveSoftmax.bias(negatives, 0));
    return normalize ? new LossTerms(t.i2t().div(g), t.t2i().div(g)) : t;
  }
}
