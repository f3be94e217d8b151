package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.InvalidInputException;

/** A checkpoint file that is missing, truncated, corrupt, or of another run. */
public final class CheckpointException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
