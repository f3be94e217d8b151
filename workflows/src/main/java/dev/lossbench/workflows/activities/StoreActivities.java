package dev.lossbench.workflows.activities;

import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.run.RunPhase;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** Bookkeeping in the metrics store, the index of benchmarks and runs (queue {@code cpu}). */
@ActivityInterface
public interface StoreActivities {
  /**
   * Records the benchmark, its datasets and a pending run per cell (idempotent) and returns the
   * ids of runs that already succeeded, which the benchmark skips. Run ids are per benchmark
   * ({@link dev.lossbench.workflows.RunIds#runId(String, String)}): for workflows started before
   * {@link #registerCells}, which replay with it.
   */
  List<String> registerBenchmark(String benchmarkId, BenchmarkSpec spec);

  /**
   * Records the benchmark and its datasets, and links the run of each cell to it (idempotent): the
   * run any benchmark registered for the same cell content (dataset, model — a TorchScript module by
   * its bytes —, loss variant, training settings, seed, parent stage), or a new pending one. Failed,
   * diverged and cancelled runs among them are queued again; those that succeeded are returned, and
   * not trained again. With sequential seeds, only the cells of the first seeds
   * ({@link BenchmarkSpec#firstCells()}): the workflow links more when a look needs them ({@link #linkCells}).
   */
  CellRuns registerCells(String benchmarkId, BenchmarkSpec spec);

  /**
   * Links more cells of the benchmark ({@link BenchmarkSpec#cells()} with these ids: the next seeds of sequential
   * seeds) as {@link #registerCells} links all of them: the run any benchmark made for the same cell, or a new pending
   * one. Idempotent.
   */
  CellRuns linkCells(String benchmarkId, BenchmarkSpec spec, List<String> cellIds);

  /** Records a run's final status ({@code succeeded|failed|diverged|cancelled}) and error text. */
  void finishRun(String runId, RunPhase status, String error);

  /**
   * Records a run as failed with {@code error} when its run workflow itself failed (terminated, timed out, a
   * workflow task failure) and so could not record its end; a run that did finish is left as it is.
   */
  void failUnfinishedRun(String runId, String error);

  /**
   * Records the benchmark's final status. {@code cancelled} also ends every run of it still pending or running
   * as cancelled (the workflow has not reached them, or they did not record it themselves).
   */
  void finishBenchmark(String benchmarkId, RunPhase status);

  /**
   * Computes the benchmark's comparisons (every variant against the baseline, paired by seed; workers/compare) from
   * its succeeded runs and stores them, replacing any earlier ones. Called once the benchmark's runs have ended.
   */
  void storeComparisons(String benchmarkId);

  /**
   * Each run's status and its validation rSum after {@code epochs} epochs (a rung of early stopping), from the store:
   * what the workflow decides a rung from, and which runs still need training to reach it.
   */
  List<RunAtRung> atRung(List<String> runIds, int epochs);

  /**
   * Stops the runs at the rung of {@code epochs} epochs: each run that is running or pending becomes {@code stopped}
   * with {@code stopped_epoch = epochs}; runs in any other status (stopped already, succeeded, failed) are left as they
   * are, so that a repeated decision writes nothing.
   */
  void stopRuns(List<String> runIds, int epochs);

  /**
   * A look of sequential seeds: the comparison engine's decision on each listed variant against its group's baseline
   * from the succeeded runs of seeds {@code 1..n} (the primary split's test rSum, paired by seed), at the level the
   * sequential rule spends at look {@code n}.
   */
  List<VariantDecision> look(String benchmarkId, int n, List<LookGroup> groups);
}
