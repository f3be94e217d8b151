package dev.lossbench.schema.failure;

import dev.lossbench.schema.record.AttemptClaim;

/**
 * A training attempt tried to write a run it no longer holds: a newer attempt claimed the run (its worker was
 * presumed lost after the heartbeat timeout), or the run is no longer running. Nothing was written; the attempt
 * must stop, and retrying it cannot help.
 */
public final class StaleAttemptException extends MetricsStoreException {
  private static final long serialVersionUID = 1L;

  private final String runId;

  public StaleAttemptException(String runId, AttemptClaim stale, String holder) {
    super("run " + runId + ": " + stale + " was superseded (" + holder + "); it stops without writing");
    this.runId = runId;
  }

  public String runId() {
    return runId;
  }
}
