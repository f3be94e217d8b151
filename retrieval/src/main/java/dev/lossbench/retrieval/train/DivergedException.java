package dev.lossbench.retrieval.train;

/**
 * The loss or the gradients became NaN or infinite, or the model collapsed or stopped learning
 * ({@link Collapse}): the run stops instead of reporting a score.
 */
public final class DivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int epoch;
  private final int step;

  public DivergedException(int epoch, int step, String what) {
    super("diverged at epoch " + epoch + ", step " + step + ": " + what);
    this.epoch = epoch;
    this.step = step;
  }

  public int epoch() {
    return epoch;
  }

  public int step() {
    return step;
  }
}
