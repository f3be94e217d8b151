package dev.lossbench.workers.stack;

import dev.lossbench.workflows.activities.TrainingProgress;
import dev.lossbench.workflows.benchmark.BenchmarkProgress;
import java.util.Map;

/** Receives a benchmark's state while the command waits for it. */
public interface ProgressListener {
  ProgressListener NONE = (p, live) -> {};

  /**
   * @param live the latest heartbeat of each run that is training now, by run id
   */
  void update(BenchmarkProgress progress, Map<String, TrainingProgress> live);

  default void finished() {}

  /** Something a person watching should know once, e.g. "run-…: worker … lost (no heartbeat for 20 s), retrying in 2 s (attempt 2)". */
  default void notice(String line) {}
}
