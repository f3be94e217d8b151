package dev.lossbench.workflows.run;

/**
 * How a run ended: succeeded, failed, diverged or cancelled, with the error text when it did not succeed.
 *
 * @param errorType the failure's type ({@link dev.lossbench.workflows.FailureTypes} or the exception's class name)
 */
public record RunOutcome(String runId, RunPhase status, String error, String errorType) {
  public RunOutcome(String runId, RunPhase status, String error) {
    this(runId, status, error, null);
  }
}
