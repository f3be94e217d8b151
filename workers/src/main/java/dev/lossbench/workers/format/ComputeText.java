package dev.lossbench.workers.format;

import dev.lossbench.schema.record.BenchmarkCompute;
import java.time.Duration;

/** How a benchmark's compute is written: the same words in {@code status}, {@code run}/{@code resume} and the report. */
public final class ComputeText {
  private ComputeText() {}

  /**
   * {@code 12 run-epochs trained in 4 runs (3 min 05 s of training), 6 runs from before (not trained again);
   * full grid 30 run-epochs}.
   */
  public static String line(BenchmarkCompute c) {
    return c.runEpochsTrained() + " run-epochs trained in " + c.runsTrained()
        + (c.runsTrained() == 1 ? " run" : " runs")
        + " (" + Figures.duration(Duration.ofMillis(Math.round(c.trainingSeconds() * 1000))) + " of training, "
        + Figures.fixed(c.trainingHours(), 3) + " h), " + c.runsFromBefore()
        + (c.runsFromBefore() == 1 ? " run" : " runs") + " from before (not trained again); full grid "
        + (c.fullGridRunEpochs() == null ? "unknown" : c.fullGridRunEpochs() + " run-epochs");
  }
}
