package dev.lossbench.workers.activities;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.io.StorageException;
import dev.lossbench.retrieval.train.DivergedException;
import dev.lossbench.schema.failure.StaleAttemptException;
import dev.lossbench.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the errors a retry cannot fix (bad input, divergence, a full or unwritable disk, memory run out, an argument
 * refused by validation) into non-retryable failures carrying their message; every
 * other exception propagates and is retried with backoff.
 */
final class Failures {
  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);
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
    } catch (StorageException e) {
      throw storage(e.getMessage(), e);
    } catch (OutOfMemoryError e) {
      throw resource(e);
    } catch (IllegalArgumentException e) {
      // a value our own validation (or a library's) refused: the same value is refused on every attempt. Not
      // claimed as the user's input (exit 2 needs an InvalidInputException naming the file); typed by its class
      LOG.warn("not retried: {}", e.toString(), e);
      throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), e.getClass().getName(), e);
    } catch (UncheckedIOException e) {
      // a write outside the checkpoint code (a dataset being generated) that failed for good
      if (StorageException.isPermanent(e)) {
        throw storage(e.getMessage() + ": " + e.getCause().getMessage(), e);
      }
      throw e;
    } catch (RuntimeException e) {
      if (ResourceExhaustion.describe(e) != null) {
        throw resource(e);
      }
      throw e;
    }
  }

  /** Out of memory (heap or libtorch): the same settings run out again, so one line says what to change. */
  private static ApplicationFailure resource(Throwable e) {
    String message = ResourceExhaustion.describe(e);
    LOG.warn(message, e);
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.RESOURCE);
  }

  /**
   * Without the I/O exception as its cause: the run's error is the innermost message
   * ({@link FailureTypes#messageOf}), and the operating system's text alone ({@code No space left
   * on device}, or just a path) would hide which file and why. The stack trace goes to the log.
   */
  private static ApplicationFailure storage(String message, Exception e) {
    LOG.warn(message, e);
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.STORAGE);
  }
}
