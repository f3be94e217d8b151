package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;

/**
 * What a loss may depend on besides the similarities: the epoch (Triplet-HN's warm-up is a
 * function of it, so a resumed run replays exactly) and, for a learnable temperature, the
 * model's log logit scale (a scalar parameter owned by the model, as in CLIP).
 *
 * @param epoch 0-based training epoch
 * @param logLogitScale log(1/τ) as a trainable scalar, or null to use the spec's fixed τ
 */
public record LossContext(int epoch, NDArray logLogitScale) {
  /** Evaluation outside training: epoch far past any warm-up, fixed temperature. */
  public static final LossContext EVALUATION = new LossContext(Integer.MAX_VALUE, null);

  public static LossContext epoch(int epoch) {
    return new LossContext(epoch, null);
  }
}
