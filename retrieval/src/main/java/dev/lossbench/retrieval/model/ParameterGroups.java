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

  /**
   * Whether AdamW's weight decay applies to {@code parameter} of shape {@code dimensions}: all of lossbench's own
   * models' parameters; a TorchScript module's as CLIP and open_clip decide (see {@link #clipDecays}).
   */
  default boolean decays(String parameter, int dimensions) {
    return true;
  }

  /**
   * open_clip's rule (its {@code exclude} in training/main.py): no decay for parameters of fewer than two
   * dimensions (biases, LayerNorm and BatchNorm weights, a scalar {@code logit_scale}), nor for names that say they
   * are a bias, a norm ({@code bn}, {@code ln}) or the logit scale.
   */
  static boolean clipDecays(String parameter, int dimensions) {
    return dimensions >= 2 && !parameter.contains("bias") && !parameter.contains("bn") && !parameter.contains("ln")
        && !parameter.contains("logit_scale");
  }
}
