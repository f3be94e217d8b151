package dev.lossbench.schema.failure;

/**
 * A run was registered under an id (or for a cell) that already belongs to a different run definition: run ids
 * must be a stable hash of the whole cell, and each cell (benchmark, dataset, model, variant, seed) is one run.
 */
public final class RunDefinitionConflictException extends MetricsStoreException {
  private static final long serialVersionUID = 1L;

  private final String runId;

  public RunDefinitionConflictException(String runId, String message) {
    super(message);
    this.runId = runId;
  }

  public String runId() {
    return runId;
  }
}
