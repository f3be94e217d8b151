package dev.lossbench.workflows.benchmark;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.lossbench.workflows.FailureTypes;
import dev.lossbench.workflows.run.RunPhase;

/**
 * One run as the benchmark workflow knows it.
 *
 * @param skipped true when it had already succeeded in an earlier submission
 * @param errorType the failure's type when it did not succeed ({@link dev.lossbench.workflows.FailureTypes}, or the
 *     exception's class name); {@code null} otherwise
 */
public record RunState(String runId, String cellId, String dataset, String model, String loss, long seed,
    RunPhase status,
    String error, boolean skipped, String errorType) {

  /** Longest error text carried in a payload; the store keeps the whole text. */
  public static final int MAX_ERROR_CHARS = 2000;

  /** True when it failed on a user's data or configuration mistake. */
  @JsonIgnore
  public boolean isInvalidInput() {
    return status == RunPhase.FAILED && FailureTypes.INVALID_INPUT.equals(errorType);
  }

  RunState with(RunPhase newStatus, String newError, String newErrorType) {
    return new RunState(runId, cellId, dataset, model, loss, seed, newStatus, newError, skipped, newErrorType);
  }

  /** This state with its error text cut to {@link #MAX_ERROR_CHARS}, for payloads. */
  RunState bounded() {
    if (error == null || error.length() <= MAX_ERROR_CHARS) {
      return this;
    }
    return with(status, error.substring(0, MAX_ERROR_CHARS) + "… (cut; the store has the whole text)", errorType);
  }
}
