package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A loss over in-batch pair similarities. Implementations compute per-anchor terms; the
 * {@link Reduction}s (over anchors, and across the two directions) are separate, explicit
 * parameters, as pytorch-metric-learning separates losses from reducers.
 */
public interface RetrievalLoss {

  /** The spec this loss was built from (its canonical string names the variant). */
  LossSpec spec();

  /**
   * Per-anchor terms for both directions.
   *
   * @param sims B × B similarities, {@code sims[i][j] = sim(image_i, text_j)}, positives on the diagonal
   * @param negatives B × B, 1 where j is a negative of anchor i ({@link PairMask#negatives}), same dtype as sims
   */
  LossTerms terms(NDArray sims, NDArray negatives, LossContext context);

  /** How per-anchor terms are reduced (mean or sum over anchors). */
  Reduction anchorReduction();

  /** How the two directions are combined (mean or sum). */
  Reduction directionCombination();

  /**
   * Whether the loss computes differently from {@code epoch} on than in the epoch before
   * (Triplet-HN leaving its warm-up); a run may reset the optimiser there. Never, by default.
   */
  default boolean switchesModeAt(int epoch) {
    return false;
  }

  /**
   * Whether the loss takes its scale from the model's learnable logit scale
   * ({@link LossContext#logLogitScale()}), the model then training it.
   *
   * @param modelOffersScale whether the model spec asks for its own scale to be used (a torchscript
   *     model's {@code learnable_scale})
   */
  default boolean usesModelScale(boolean modelOffersScale) {
    return false;
  }

  /** τ that a fresh learnable logit scale of lossbench's own model starts at (log(1/τ)); 0 for none. */
  default double initialTemperature() {
    return 0;
  }

  /**
   * The scale a model's learnable logit scale starts at when this loss uses it ({@link #usesModelScale}): 1/τ for
   * InfoNCE, γ for the unified loss, so the value a label names is the value training starts from; 0 for none.
   */
  default double initialScale() {
    double tau = initialTemperature();
    return tau > 0 ? 1 / tau : 0;
  }

  /** The scalar loss: reduce each direction over anchors, then combine the directions. */
  default NDArray loss(NDArray sims, NDArray negatives, LossContext context) {
    LossTerms t = terms(sims, negatives, context);
    return directionCombination().combine(anchorReduction().over(t.i2t()), anchorReduction().over(t.t2i()));
  }

  /** Convenience: builds the mask in the sims' manager and dtype. */
  default NDArray loss(NDArray sims, PairMask mask, LossContext context) {
    NDManager m = sims.getManager();
    return loss(sims, mask.negatives(m, sims.getDataType()), context);
  }

  /** Convenience: per-anchor terms with the mask built in the sims' manager and dtype. */
  default LossTerms terms(NDArray sims, PairMask mask, LossContext context) {
    return terms(sims, mask.negatives(sims.getManager(), sims.getDataType()), context);
  }
}
