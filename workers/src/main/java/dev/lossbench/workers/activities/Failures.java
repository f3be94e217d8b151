package dev.lossbench.workers.activities;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.train.DivergedException;
import dev.lossbench.schema.repository.StaleAttemptException;
import dev.lossbench.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * Turns the errors a retry cannot fix into non-retryable failures carrying their message; every
 * other exception propagates and is retried with backoff.
 */
final class Failures {
  private Failures() {}

  static <T> T classify(Supplier<T> work) {
    try {
      return work.get();
    } catch (InvalidInputException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), FailureTypes.INVALID_INPUT, e);
    } catch (DivergedException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), FailureTypes.DIVERGED, e);
    } catch (StaleAttemptException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), FailureTypes.STALE_ATTEMPT, e);
    }
  }
}
