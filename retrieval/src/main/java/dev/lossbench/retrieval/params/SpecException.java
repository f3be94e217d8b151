package dev.lossbench.retrieval.params;

import dev.lossbench.retrieval.InvalidInputException;

/** A spec (loss, model, training settings) naming an unknown kind or key, or a value out of range. */
public class SpecException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public SpecException(String message) {
    super(message);
  }
}
