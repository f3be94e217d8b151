package dev.lossbench.workflows.activities;

import dev.lossbench.workflows.benchmark.RunState.Status;

import dev.lossbench.workflows.matrix.BenchmarkSpec;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** Bookkeeping in the metrics store, the index of benchmarks and runs (queue {@code cpu}). */
@ActivityInterface
public interface StoreActivities {
  /**
   * Records the benchmark, its datasets and a pending run per cell (idempotent) and returns the
   * ids of runs that already succeeded, which the benchmark skips.
   */
  List<String> registerBenchmark(String benchmarkId, BenchmarkSpec spec);

  /** Records a run's final status ({@code succeeded|failed|diverged|cancelled}) and error text. */
  void finishRun(String runId, Status status, String error);

  /**
   * Records a run as failed with {@code error} when its run workflow itself failed (terminated, timed out, a
   * workflow task failure) and so could not record its end; a run that did finish is left as it is.
   */
  void failUnfinishedRun(String runId, String error);

  /**
   * Records the benchmark's final status. {@code cancelled} also ends every run of it still pending or running
   * as cancelled (the workflow has not reached them, or they did not record it themselves).
   */
  void finishBenchmark(String benchmarkId, Status status);

  /**
   * Computes the benchmark's comparisons (every variant against the baseline, paired by seed; workers/compare) from
   * its succeeded runs and stores them, replacing any earlier ones. Called once the benchmark's runs have ended.
   */
  void storeComparisons(String benchmarkId);
}
