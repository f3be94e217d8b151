package dev.lossbench.workflows.run;

import dev.lossbench.workflows.benchmark.RunState.Status;

/**
 * How a run ended: succeeded, failed, diverged or cancelled, with the error text when it did not succeed.
 *
 * @param errorType the failure's type ({@link dev.lossbench.workflows.FailureTypes} or the exception's class name)
 */
public record RunOutcome(String runId, Status status, String error, String errorType) {
  public RunOutcome(String runId, Status status, String error) {
    this(runId, status, error, null);
  }
}
