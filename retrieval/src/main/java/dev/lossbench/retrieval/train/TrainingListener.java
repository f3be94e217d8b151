package dev.lossbench.retrieval.train;

/**
 * Progress of a training run, for heartbeats and progress bars. Called on the training thread;
 * an exception thrown here (e.g. a cancellation) stops the run after the last checkpoint.
 */
public interface TrainingListener {
  TrainingListener NONE = new TrainingListener() {};

  /**
   * After each optimisation step.
   *
   * @param step 0-based step within the epoch
   * @param steps steps in the epoch
   */
  default void onStep(int epoch, int step, int steps, double loss, double samplesPerSecond) {}

  /** After each epoch's validation, before its checkpoint is written. */
  default void onEpoch(EpochMetrics metrics) {}

  /** After a checkpoint was written; {@code stepInEpoch} is 0 at an epoch boundary. */
  default void onCheckpoint(int epoch, int stepInEpoch) {}

  /**
   * Just before a checkpoint file (last, best, an exported module) is renamed into place. Throwing here leaves
   * the run directory's files as they were and stops the run: a training attempt that has been replaced by a
   * newer one (fencing) must not overwrite the newer attempt's checkpoints.
   */
  default void beforeCheckpointReplace() {}
}
