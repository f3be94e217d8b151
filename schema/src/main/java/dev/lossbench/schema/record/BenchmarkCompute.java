package dev.lossbench.schema.record;

/**
 * What a benchmark's training cost (the {@code benchmark_compute} view).
 *
 * @param runs runs linked to the benchmark (its cells)
 * @param runsFromBefore of those, runs that had succeeded in an earlier benchmark: not trained again
 * @param runsTrained runs this benchmark's submissions trained (one attempt or more)
 * @param runEpochsTrained epochs its attempts trained, summed over runs
 * @param trainingSeconds the training loop's own seconds of those epochs (device seconds on a GPU)
 * @param fullGridRunEpochs cells × planned epochs: what the whole grid costs ({@code null} when a run's training
 *     settings name no epochs); an adaptive benchmark trains less, a full one that much
 */
public record BenchmarkCompute(
    String benchmarkId,
    int runs,
    int runsFromBefore,
    int runsTrained,
    int attempts,
    int runEpochsTrained,
    double trainingSeconds,
    Integer fullGridRunEpochs) {

  public double trainingHours() {
    return trainingSeconds / 3600;
  }
}
