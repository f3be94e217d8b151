package dev.lossbench.schema.record;

/**
 * What one epoch of training measured.
 *
 * @param epoch as the training loop numbers it (from 0)
 * @param trainLoss mean training loss; NaN is allowed, it is how a diverging run looks
 * @param validation validation recalls; null for an epoch that skipped validation
 * @param gradNorm null when not measured
 */
public record EpochMetric(
    String runId,
    int epoch,
    double trainLoss,
    Recalls validation,
    double learningRate,
    double seconds,
    double samplesPerSecond,
    Double gradNorm) {

  public EpochMetric {
    Require.text(runId, "run id");
    Require.nonNegative(epoch, "epoch");
    Require.nonNegative(seconds, "seconds");
    Require.nonNegative(samplesPerSecond, "samples per second");
  }

  /** Validation rSum, or null when the epoch was not validated. */
  public Double validationRsum() {
    return validation == null ? null : validation.rsum();
  }
}
