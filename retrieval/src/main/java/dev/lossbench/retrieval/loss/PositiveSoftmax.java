package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.engine.Scalars;

/**
 * Cross-entropy at the positive, both directions, of B × B logits: {@code i2t[i] = logsumexp_j L_ij
 * − L_ii} over row i and {@code t2i[j] = logsumexp_i L_ij − L_jj} over column j, where only the
 * positive and the anchor's negatives take part. One log-softmax per direction on one matrix — no
 * transposed copies, no eye products.
 *
 * <p>It is InfoNCE with {@code L = s/τ}; and, with the diagonal lowered by γm, {@code L = γs − γm·I},
 * it is the unified loss exactly: {@code logsumexp_j L_ij − L_ii = log(1 + Σ_neg exp(γ(s_ij − s_ii + m)))}.
 */
final class PositiveSoftmax {
  private PositiveSoftmax() {}

  /**
   * The constant added to the logits: 0 on negatives, {@code −diagonalShift} on the diagonal,
   * {@link SoftPlusSum#EXCLUDED} elsewhere (other positives of the anchor's group). No gradient.
   */
  static NDArray bias(NDArray negatives, double diagonalShift) {
    int b = (int) negatives.getShape().get(0);
    NDArray eye = negatives.getManager().eye(b).toType(negatives.getDataType(), false);
    NDArray bias = Scalars.mul(Scalars.sub(negatives.add(eye), 1), -SoftPlusSum.EXCLUDED);
    return diagonalShift == 0 ? bias : bias.sub(Scalars.mul(eye, diagonalShift));
  }

  /** Per-anchor terms of {@code logits + bias} ({@link #bias}). */
  static LossTerms terms(NDArray logits, NDArray bias) {
    NDArray l = logits.add(bias);
    Shape b = new Shape(l.getShape().get(0));
    return new LossTerms(Diagonal.column(l.logSoftmax(1)).neg().reshape(b),
        Diagonal.column(l.logSoftmax(0)).neg().reshape(b));
  }
}
