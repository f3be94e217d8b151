package dev.lossbench.retrieval.loss;

/** What every loss keeps from its spec: the spec itself and its two reductions. */
abstract class SpecifiedLoss implements RetrievalLoss {
  private final LossSpec spec;

  SpecifiedLoss(LossSpec spec) {
    this.spec = spec;
  }

  @Override
  public final LossSpec spec() {
    return spec;
  }

  @Override
  public final Reduction anchorReduction() {
    return spec.reduction();
  }

  @Override
  public final Reduction directionCombination() {
    return spec.directions();
  }
}
