package dev.lossbench.workflows;

/**
 * Types of non-retryable application failures: retrying cannot help, so Temporal records them
 * with their message instead of retrying. Anything else (a lost worker, a database briefly down)
 * is retried with backoff.
 */
public final class FailureTypes {
  /** Bad data or configuration a user can fix (the message names the file or field). */
  public static final String INVALID_INPUT = "InvalidInput";
  /** NaN or Inf in the loss or the gradients, or a model that collapsed or stopped learning. */
  public static final String DIVERGED = "Diverged";
  /**
   * A write no retry can make succeed (disk full, quota, read-only file system, permission
   * denied); the message names the path.
   */
  public static final String STORAGE = "Storage";

  private FailureTypes() {}

  /** The innermost failure's own message (what the activity said), not Temporal's wrapping. */
  public static String messageOf(io.temporal.failure.TemporalFailure e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof io.temporal.failure.TemporalFailure tf ? tf.getOriginalMessage() : t.getMessage();
  }
}
