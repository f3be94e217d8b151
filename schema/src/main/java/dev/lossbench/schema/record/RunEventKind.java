package dev.lossbench.schema.record;

import java.util.Locale;

/** What a {@link RunEvent} records. */
public enum RunEventKind {
  /** The run was registered (first time only). */
  REGISTERED,
  /** A forward status change. */
  STATUS,
  /** running → running: the run started again, usually on another worker after one died. */
  RETRY,
  /** failed, diverged or cancelled → pending or running. */
  RESUME,
  /** Free text from a worker or the CLI. */
  NOTE,
  /** running → stopped: successive halving stopped the run at a rung (V11). */
  STOP,
  /** stopped → pending or running: a stopped run continued (promoted) from its checkpoint (V11). */
  PROMOTE;

  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunEventKind fromSql(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
