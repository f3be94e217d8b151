package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;
import dev.lossbench.retrieval.engine.Scalars;

/**
 * The vision-language contrastive loss (CLIP's symmetric InfoNCE): per anchor
 * {@code −log softmax(S_i· / τ)_i} over the positive and the negatives (same-group pairs excluded).
 *
 * <p>Written as a softmax cross-entropy, not through {@link SoftPlusSum}, so that the identity
 * {@code unified(γ=1/τ, m=0) = infonce(τ)} is checked between two independent formulations. With a
 * learnable temperature the scale {@code exp(logLogitScale)} comes from the model; the training step
 * clamps that parameter to [0, ln 100] after every update, as CLIP does (a clip inside the loss would
 * give the scale a zero gradient above 100, and it could never come back).
 */
public final class InfoNceLoss extends SpecifiedLoss {
  /** CLIP's upper bound on the logit scale 1/τ. */
  public static final float MAX_LOGIT_SCALE = 100f;

  private final double tau;
  private final boolean learnable;

  InfoNceLoss(LossSpec spec, double tau, boolean learnable) {
    super(spec);
    this.tau = tau;
    this.learnable = learnable;
  }

  /** A learnable temperature is always the model's logit scale. */
  @Override
  public boolean usesModelScale(boolean modelOffersScale) {
    return learnable;
  }

  @Override
  public double initialTemperature() {
    return learnable ? tau : 0;
  }

  @Override
  public LossTerms terms(NDArray sims, NDArray negatives, LossContext context) {
    NDArray logits;
    if (learnable && context.logLogitScale() != null) {
      // not clipped here (that would zero its gradient above the cap for good): the step clamps the parameter
      NDArray scale = context.logLogitScale().exp();
      logits = sims.mul(scale);
    } else {
      logits = Scalars.div(sims, tau);
    }
    return PositiveSoftmax.terms(logits, PositiveSoftmax.bias(negatives, 0));
  }
}
