package dev.lossbench.workflows.activities;

import dev.lossbench.workflows.RunIds;

import dev.lossbench.workflows.matrix.Cell;

/**
 * One run as the activities see it: its id, the benchmark that runs it, the cell, and the prepared data.
 *
 * @param parentRunId the run of the cell's parent stage ({@link Cell#parent()}), whose best checkpoint it starts
 *     from; {@code null} without a parent, or in plans made before it was carried (then the parent's run is
 *     {@link RunIds#runId(String, String)} of the benchmark)
 */
public record RunPlan(String runId, String benchmarkId, Cell cell, PreparedDataset data, String parentRunId) {
  public RunPlan(String runId, String benchmarkId, Cell cell, PreparedDataset data) {
    this(runId, benchmarkId, cell, data, null);
  }

  /** The run whose best checkpoint a fine-tuning cell starts from. */
  public String parentRun() {
    if (cell.parent() == null) {
      return null;
    }
    return parentRunId != null ? parentRunId : RunIds.runId(benchmarkId, cell.parent());
  }
}
