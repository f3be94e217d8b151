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

  /**
   * During each epoch's validation, after every encoded batch: validation of a large dev set takes
   * minutes, and a worker says it is alive (heartbeats) from here.
   *
   * @param done batches finished of {@code total}
   */
  default void onValidation(int epoch, int done, int total) {}

  /** Something went wrong that the run worked around (e.g. an unreadable last checkpoint). */
  default void onWarning(String message) {}

  /** After each epoch's validation, before its checkpoint is written. */
  default void onEpoch(EpochMetrics metrics) {}

  /**
   * While a checkpoint or an exported module is written, after every tensor or chunk: a large model's save takes
   * minutes, and a worker says it is alive (heartbeats) from here.
   */
  default void onSaving() {}

  /** After a checkpoint was written; {@code stepInEpoch} is 0 at an epoch boundary. */
  default void onCheckpoint(int epoch, int stepInEpoch) {}

  /**
   * Just before a checkpoint file (last, best, an exported module) is renamed into place. Throwing here leaves
   * the run directory's files as they were and stops the run: a training attempt that has been replaced by a
   * newer one (fencing) must not overwrite the newer attempt's checkpoints.
   */
  default void beforeCheckpointReplace() {}
}
