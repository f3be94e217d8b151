package dev.lossbench.retrieval.train;

/**
 * The learning rate as a function of position alone (epoch, global step), so a resumed run
 * gets the same rate without stored schedule state.
 */
public final class LearningRateSchedule {
  private final TrainingConfig config;
  private final long totalSteps;

  public LearningRateSchedule(TrainingConfig config, long stepsPerEpoch) {
    this.config = config;
    this.totalSteps = Math.max(1, stepsPerEpoch * config.epochs());
  }

  /**
   * @param epoch 0-based epoch
   * @param globalStep 0-based step counted over all epochs
   */
  public double at(int epoch, long globalStep) {
    double lr = config.lr();
    return switch (config.schedule()) {
      case "constant" -> lr;
      case "step" -> epoch >= config.lrDecayEpoch() ? lr * config.lrDecay() : lr;
      case "cosine" -> {
        long warm = (long) Math.floor(config.warmup() * totalSteps);
        if (globalStep < warm) {
          yield lr * (globalStep + 1) / warm;
        }
        double progress = (double) (globalStep - warm) / Math.max(1, totalSteps - warm);
        yield lr * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
      }
      default -> throw new IllegalStateException(config.schedule());
    };
  }
}
