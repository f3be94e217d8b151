package dev.lossbench.retrieval.model;

import java.util.List;

/**
 * How a model's parameters train, as its spec says: which are frozen and at what learning rate
 * each is updated (pretrained weights slower than new heads, as CLIP4Clip's parameter groups).
 */
public interface ParameterGroups {
  /** Every parameter trainable, at the scheduled rate. */
  ParameterGroups UNIFORM = new ParameterGroups() {
    @Override
    public List<String> frozenPrefixes() {
      return List.of();
    }

    @Override
    public double learningRate(String parameter, double scheduled, double base) {
      return scheduled;
    }
  };

  /** Name prefixes of parameters the model's spec freezes (a run may freeze more). */
  List<String> frozenPrefixes();

  /**
   * The learning rate of {@code parameter} when the schedule gives {@code scheduled} for the
   * configured base rate {@code base}.
   */
  double learningRate(String parameter, double scheduled, double base);
}
