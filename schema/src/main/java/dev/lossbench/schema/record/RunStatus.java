package dev.lossbench.schema.record;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a run is. Allowed changes (enforced by the database, see {@code run_transition_kind} in V1): pending →
 * running → succeeded | failed | diverged | cancelled; pending → failed | cancelled; running → running (a retry,
 * possibly on another worker); failed | diverged | cancelled → pending | running (resume). Succeeded is final.
 *
 * <p>This enum is the one place that maps a status to the text stored in {@code run.status} (and
 * {@code run_event.from_status/to_status}, and shown by the views): Java code names a status by its constant and
 * goes through {@link #sqlName()} and {@link #fromSql(String)}, never by the word.
 */
public enum RunStatus {
  PENDING("pending"),
  RUNNING("running"),
  SUCCEEDED("succeeded"),
  FAILED("failed"),
  /** Training produced NaN or infinity. */
  DIVERGED("diverged"),
  CANCELLED("cancelled"),
  /** Stopped at a rung by successive halving (an adaptive matrix): not failed; continued by a promotion. */
  STOPPED("stopped");

  private final String sqlName;

  RunStatus(String sqlName) {
    this.sqlName = sqlName;
  }

  /** The value stored in the database, e.g. {@code running}. */
  public String sqlName() {
    return sqlName;
  }

  /** True for the statuses a run ends an attempt in: succeeded, failed, diverged, cancelled, stopped. */
  public boolean isFinished() {
    return this != PENDING && this != RUNNING;
  }

  /** True for the ends that keep an error text on the run: failed, diverged, cancelled. */
  public boolean isUnsuccessful() {
    return isFinished() && this != SUCCEEDED && this != STOPPED;
  }

  /**
   * The status stored as {@code value}.
   *
   * @throws IllegalArgumentException when {@code value} is not a run status's stored text
   */
  public static RunStatus fromSql(String value) {
    for (RunStatus status : values()) {
      if (status.sqlName.equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown run status '" + value + "'; known: "
        + Arrays.stream(values()).map(RunStatus::sqlName).collect(Collectors.joining(", ")));
  }
}
