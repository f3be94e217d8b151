package dev.lossbench.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;

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
   * A training attempt that a newer attempt of its run replaced (fencing): it stopped without writing. Temporal
   * has moved on from it already, so the failure normally reaches no workflow.
   */
  public static final String STALE_ATTEMPT = "StaleAttempt";

  /**
   * A write no retry can make succeed (disk full, quota, read-only file system, permission
   * denied); the message names the path.
   */
  public static final String STORAGE = "Storage";

  /**
   * Memory run out (the Java heap, or libtorch's allocator): the same settings on the same worker run out again;
   * the message says what to change (the heap option, the batch size).
   */
  public static final String RESOURCE = "Resource";

  private FailureTypes() {}

  /**
   * What the activity said, in lossbench's own words: the outermost message below Temporal's wrapping
   * ({@code Activity task failed}), with the innermost cause's message appended when it adds something — so a
   * caption file that is not UTF-8 reads {@code captions.txt: … (Input length = 1)}, not just the decoder's words.
   */
  public static String messageOf(TemporalFailure e) {
    Throwable outer = e;
    while ((outer instanceof ActivityFailure || outer instanceof ChildWorkflowFailure) && outer.getCause() != null) {
      outer = outer.getCause();
    }
    Throwable inner = outer;
    while (inner.getCause() != null) {
      inner = inner.getCause();
    }
    String outerText = text(outer);
    String innerText = text(inner);
    if (inner == outer || innerText == null || innerText.isBlank()) {
      return outerText;
    }
    if (outerText == null || outerText.isBlank()) {
      return innerText;
    }
    return outerText.contains(innerText) ? outerText : outerText + " (" + innerText + ")";
  }

  /**
   * The failure's type: {@link #INVALID_INPUT}, {@link #DIVERGED}, or the class name of the exception an activity
   * threw; {@code null} when there is none (a timeout, a cancellation).
   */
  public static String typeOf(TemporalFailure e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure a) {
        return a.getType();
      }
    }
    return null;
  }

  private static String text(Throwable t) {
    return t instanceof TemporalFailure tf ? tf.getOriginalMessage() : t.getMessage();
  }
}
