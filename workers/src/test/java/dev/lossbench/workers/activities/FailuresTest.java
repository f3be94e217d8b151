package dev.lossbench.workers.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

/** Which activity errors Temporal retries: only those a retry can fix. */
class FailuresTest {
  @Test
  void anArgumentRefusedByValidationIsNotRetried() {
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> Failures.classify(() -> {
      throw new IllegalArgumentException("dataset scenes: protocols [coco5k] for a SYNTHETIC dataset");
    }));
    assertTrue(f.isNonRetryable());
    assertEquals(IllegalArgumentException.class.getName(), f.getType(), "not claimed as the user's input (exit 2)");
    assertEquals("dataset scenes: protocols [coco5k] for a SYNTHETIC dataset", f.getOriginalMessage());

    ApplicationFailure number = assertThrows(ApplicationFailure.class,
        () -> Failures.classify(() -> Integer.parseInt("x")));
    assertTrue(number.isNonRetryable(), "a NumberFormatException is an IllegalArgumentException");
  }

  @Test
  void badInputKeepsItsTypeAndOtherErrorsAreRetried() {
    ApplicationFailure input = assertThrows(ApplicationFailure.class, () -> Failures.classify(() -> {
      throw new InvalidInputException("a.npy: truncated");
    }));
    assertTrue(input.isNonRetryable());
    assertEquals(FailureTypes.INVALID_INPUT, input.getType());

    IllegalStateException transientError = new IllegalStateException("connection reset");
    assertSame(transientError, assertThrows(IllegalStateException.class, () -> Failures.classify(() -> {
      throw transientError;
    })), "propagates, so Temporal retries it");
  }
}
