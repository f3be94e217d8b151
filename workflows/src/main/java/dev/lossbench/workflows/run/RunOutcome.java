package dev.lossbench.workflows.run;

/** How a run ended: {@code succeeded|failed|diverged|cancelled}, with the error text when it did not succeed. */
public record RunOutcome(String runId, String status, String error) {
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String DIVERGED = "diverged";
  public static final String CANCELLED = "cancelled";
}
