package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;
import dev.lossbench.retrieval.engine.Scalars;

/**
 * Circle loss (Sun et al., CVPR 2020) with one positive per anchor:
 * {@code log(1 + Σ_n exp(γ α_n (s_n − Δ_n)) · exp(−γ α_p (s_p − Δ_p)))}, where
 * {@code α_p = [1 + m − s_p]_+}, {@code α_n = [s_n + m]_+}, {@code Δ_p = 1 − m}, {@code Δ_n = m}.
 * The weights α are treated as constants in the gradient, as in the paper's implementation.
 */
public final class CircleLoss extends SpecifiedLoss {
  private final double margin;
  private final double gamma;

  CircleLoss(LossSpec spec, double margin, double gamma) {
    super(spec);
    this.margin = margin;
    this.gamma = gamma;
  }

  @Override
  public LossTerms terms(NDArray sims, NDArray negatives, LossContext context) {
    NDArray pos = Diagonal.column(sims);
    NDArray bias = SoftPlusSum.exclusionBias(negatives);
    return new LossTerms(rows(sims, pos, bias), rows(sims.transpose(), pos, bias));
  }

  private NDArray rows(NDArray s, NDArray pos, NDArray bias) {
    NDArray alphaP = pos.neg().add(1 + margin).maximum(0).stopGradient();
    NDArray alphaN = s.add(margin).maximum(0).stopGradient();
    NDArray logitN = Scalars.mul(alphaN.mul(s.sub(margin)), gamma);
    NDArray logitP = Scalars.mul(alphaP.mul(pos.sub(1 - margin)), gamma);
    return SoftPlusSum.rows(logitN.sub(logitP), bias);
  }
}
