package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;

/**
 * {@code log(1 + Σ_j exp(z_ij))} per row over the negatives, computed stably.
 *
 * <p>DJL has no log-sum-exp, so this uses the identity {@code log(1 + Σ exp z) = −logSoftmax([0, z])_0}:
 * the engine's log-softmax subtracts the row maximum, which keeps the value and the gradient
 * finite for γ up to 10⁴ in float32. Entries that are not negatives are pushed to a large negative
 * value before the softmax (not multiplied by zero afterwards, which would turn −∞ into NaN), so
 * they contribute exactly nothing to the value or the gradient.
 */
final class SoftPlusSum {
  /** Far below any reachable logit (γ ≤ 10⁴ times similarities in [−2, 2] plus margins) yet finite. */
  static final float EXCLUDED = -1e9f;

  private SoftPlusSum() {}

  /**
   * @param z B × B logits
   * @param negatives B × B, 1 for a negative, 0 otherwise
   * @return per-row {@code log(1 + Σ_{j negative} exp(z_ij))}, length B
   */
  static NDArray rows(NDArray z, NDArray negatives) {
    NDArray masked = z.mul(negatives).add(negatives.sub(1).mul(-EXCLUDED));
    NDArray zero = masked.getManager().zeros(new ai.djl.ndarray.types.Shape(z.getShape().get(0), 1), z.getDataType());
    NDArray withOne = zero.concat(masked, 1);
    return withOne.logSoftmax(1).get(":, 0").neg();
  }
}
