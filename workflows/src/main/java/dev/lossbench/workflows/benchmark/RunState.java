package dev.lossbench.workflows.benchmark;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * One run as the benchmark workflow knows it.
 *
 * @param skipped true when it had already succeeded in an earlier submission
 */
public record RunState(String runId, String cellId, String dataset, String model, String loss, long seed, Status status,
    String error, boolean skipped) {

  /**
   * Where a run is, as the workflows see it. The words travel in Temporal payloads and match the
   * store's {@code run_status} values one for one (a workers test checks both lists stay equal).
   */
  public enum Status {
    PENDING, RUNNING, SUCCEEDED, FAILED, DIVERGED, CANCELLED;

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

  RunState with(Status newStatus, String newError) {
    return new RunState(runId, cellId, dataset, model, loss, seed, newStatus, newError, skipped);
  }
}
