package dev.lossbench.workflows.benchmark;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import dev.lossbench.workflows.FailureTypes;

/**
 * One run as the benchmark workflow knows it.
 *
 * @param skipped true when it had already succeeded in an earlier submission
 * @param errorType the failure's type when it did not succeed ({@link dev.lossbench.workflows.FailureTypes}, or the
 *     exception's class name); {@code null} otherwise
 */
public record RunState(String runId, String cellId, String dataset, String model, String loss, long seed, Status status,
    String error, boolean skipped, String errorType) {

  /** Longest error text carried in a payload; the store keeps the whole text. */
  public static final int MAX_ERROR_CHARS = 2000;

  /**
   * Where a run is, as the workflows see it. The words travel in Temporal payloads and match the
   * store's {@code run_status} values one for one (a workers test checks both lists stay equal).
   */
  public enum Status {
    PENDING, RUNNING, SUCCEEDED, FAILED, DIVERGED, CANCELLED,
    /** Stopped at a rung by successive halving (adaptive matrices): not failed, continued by a promotion. */
    STOPPED;

    /** The word in payloads, the store and on the terminal: {@code succeeded}. */
    @JsonValue
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Status of(String word) {
      return valueOf(word.toUpperCase(Locale.ROOT));
    }

    /** False while the run waits or trains. */
    public boolean isFinished() {
      return this != PENDING && this != RUNNING;
    }

    @Override
    public String toString() {
      return word();
    }
  }

  /** True when it failed on a user's data or configuration mistake. */
  @JsonIgnore
  public boolean isInvalidInput() {
    return status == Status.FAILED && FailureTypes.INVALID_INPUT.equals(errorType);
  }

  RunState with(Status newStatus, String newError, String newErrorType) {
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
