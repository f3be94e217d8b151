package dev.lossbench.schema.record;

/**
 * Who may write a run's figures: one training attempt, named by the execution it belongs to (for Temporal, the
 * workflow run and the activity id) and its attempt number there. A later attempt of the same execution
 * supersedes an earlier one; an attempt of another execution supersedes whatever claimed before it.
 *
 * @param execution the attempt's execution, stable across its retries
 * @param attempt 1-based attempt number within the execution
 */
public record AttemptClaim(String execution, int attempt) {
  public AttemptClaim {
    Require.text(execution, "execution");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be 1 or more, got " + attempt);
    }
  }

  @Override
  public String toString() {
    return "attempt " + attempt + " of " + execution;
  }
}
