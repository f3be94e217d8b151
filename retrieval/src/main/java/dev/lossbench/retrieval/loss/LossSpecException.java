package dev.lossbench.retrieval.loss;

import dev.lossbench.retrieval.params.SpecException;

/** A loss spec that names an unknown loss or key, or a value out of its allowed range. */
public class LossSpecException extends SpecException {
  private static final long serialVersionUID = 1L;

  public LossSpecException(String message) {
    super(message);
  }
}
