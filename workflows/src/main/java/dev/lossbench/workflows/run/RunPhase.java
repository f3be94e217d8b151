package dev.lossbench.workflows.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a run is, as the workflows see it. The words travel in Temporal payloads and match the
 * store's {@code run_status} values ({@code schema.record.RunStatus}) one for one (a workers test checks both
 * lists stay equal).
 */
public enum RunPhase {
  PENDING, RUNNING, SUCCEEDED, FAILED, DIVERGED, CANCELLED,
  /** Stopped at a rung by successive halving (adaptive matrices): not failed, continued by a promotion. */
  STOPPED;

  /** The word in payloads, the store and on the terminal: {@code succeeded}. */
  @JsonValue
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static RunPhase of(String word) {
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
