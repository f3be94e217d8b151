package dev.lossbench.workflows.activities;

import dev.lossbench.workflows.RunIds;

import dev.lossbench.workflows.matrix.Cell;

/**
 * One run as the activities see it: its id, the benchmark that runs it, the cell, and the prepared data.
 *
 * @param parentRunId the run of the cell's parent stage ({@link Cell#parent()}), whose best checkpoint it starts
 *     from; {@code null} without a parent, or in plans made before it was carried (then the parent's run is
 *     {@link RunIds#runId(String, String)} of the benchmark)
 * @param untilEpochs a rung of early stopping: train until this many epochs are done, then stop without evaluating
 *     (the run stays running, waiting for the rung's decision); {@code null}: train to the cell's epochs, evaluate and
 *     finish — as every plan made before rungs existed
 */
public record RunPlan(String runId, String benchmarkId, Cell cell, PreparedDataset data, String parentRunId,
    Integer untilEpochs) {
  public RunPlan(String runId, String benchmarkId, Cell cell, PreparedDataset data) {
    this(runId, benchmarkId, cell, data, null, null);
  }

  public RunPlan(String runId, String benchmarkId, Cell cell, PreparedDataset data, String parentRunId) {
    this(runId, benchmarkId, cell, data, parentRunId, null);
  }

  /** Whether this plan trains to a rung before the cell's last epoch (no evaluation). */
  public boolean toRung() {
    return untilEpochs != null && untilEpochs < cell.trainingConfig().epochs();
  }

  /** The run whose best checkpoint a fine-tuning cell starts from. */
  public String parentRun() {
    if (cell.parent() == null) {
      return null;
    }
    return parentRunId != null ? parentRunId : RunIds.runId(benchmarkId, cell.parent());
  }
}
