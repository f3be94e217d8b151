package dev.lossbench.workers.activities;

import dev.lossbench.retrieval.eval.RecallMetrics;
import dev.lossbench.retrieval.train.EpochMetrics;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Recalls;
import dev.lossbench.schema.record.Result;

/** How the engine's figures are recorded in the store: an epoch's validation, an evaluation's result. */
final class MetricRecords {
  private MetricRecords() {}

  static EpochMetric epochMetric(String runId, EpochMetrics m) {
    RecallMetrics v = m.validation();
    return new EpochMetric(runId, m.epoch(), m.trainLoss(), recalls(v), m.learningRate(), m.seconds(),
        m.samplesPerSecond(), m.gradNorm());
  }

  /** One protocol's (or the gap's) result row of run {@code runId}. */
  static Result result(String runId, String split, RecallMetrics m) {
    return new Result(runId, split, recalls(m), m.i2tMedr(), m.i2tMeanr(), m.t2iMedr(), m.t2iMeanr());
  }

  static Recalls recalls(RecallMetrics v) {
    return new Recalls(v.i2tR1(), v.i2tR5(), v.i2tR10(), v.t2iR1(), v.t2iR5(), v.t2iR10());
  }
}
