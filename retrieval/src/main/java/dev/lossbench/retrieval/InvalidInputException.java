package dev.lossbench.retrieval;

/**
 * A mistake a user can make (a bad file, spec or value). Its message names the file, field or
 * value and what was expected, so front ends print it as one line instead of a stack trace.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
