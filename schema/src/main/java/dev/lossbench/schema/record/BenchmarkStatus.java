package dev.lossbench.schema.record;

import java.util.Locale;

/** Where a benchmark (a matrix submission) is. */
public enum BenchmarkStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static BenchmarkStatus fromSql(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
