package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.engine.Scalars;

/**
 * {@code log(1 + Σ_j exp(z_ij))} per row over the negatives, computed stably as
 * {@code t + log(exp(−t) + Σ_j exp(z_ij − t))} with {@code t = max(0, max_j z_ij)} held constant in
 * the gradient (its derivative cancels exactly), which keeps value and gradient finite for γ up to
 * 10⁴ in float32. Entries that are not negatives get a large negative additive bias — not a
 * multiplication by zero, which would turn −∞ into NaN — so they contribute exactly nothing.
 */
final class SoftPlusSum {
  /** Far below any reachable logit (γ ≤ 10⁴ times similarities in [−2, 2] plus margins) yet finite. */
  static final float EXCLUDED = -1e9f;

  private SoftPlusSum() {}

  /**
   * The additive mask for a 0/1 negatives matrix: 0 on negatives, {@link #EXCLUDED} elsewhere. The
   * negative relation is symmetric, so one array serves both directions. Masks carry no gradient.
   */
  static NDArray exclusionBias(NDArray negatives) {
    return Scalars.mul(Scalars.sub(negatives, 1), -EXCLUDED);
  }

  /**
   * @param z B × B logits
   * @param bias {@link #exclusionBias} of the negatives
   * @return per-row {@code log(1 + Σ_{j negative} exp(z_ij))}, length B
   */
  static NDArray rows(NDArray z, NDArray bias) {
    NDArray masked = z.add(bias);
    NDArray top = Scalars.maximum(masked.max(new int[]{1}, true).stopGradient(), 0);
    NDArray sum = masked.sub(top).exp().sum(new int[]{1}, true);
    return top.add(sum.add(top.neg().exp()).log()).reshape(new Shape(z.getShape().get(0)));
  }
}
