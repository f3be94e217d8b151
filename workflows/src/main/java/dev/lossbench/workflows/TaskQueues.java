package dev.lossbench.workflows;

import java.util.Collection;
import java.util.List;

/** The task queues, named in one place. */
public final class TaskQueues {
  /**
   * Workflow tasks. Served by a process that does no GPU work (the command line in embedded mode,
   * the CPU worker on a cluster): a workflow whose workflow worker dies is stranded on the
   * in-process server (its sticky queue never falls back), while activities of a killed worker
   * are retried elsewhere, as they should be.
   */
  public static final String WORKFLOWS = "lossbench-workflows";
  /** Training and evaluation: one training at a time per worker process. */
  public static final String GPU = "gpu";
  /** Dataset preparation and metrics-store bookkeeping. */
  public static final String CPU = "cpu";

  public static final List<String> ALL = List.of(WORKFLOWS, GPU, CPU);

  /**
   * The one check of queue names (a worker's {@code --queues}, the queues a worker host serves).
   *
   * @throws IllegalArgumentException {@code unknown queue 'q': expected some of …} for the first name not in {@link #ALL}
   */
  public static void requireKnown(Collection<String> queues) {
    for (String q : queues) {
      if (!ALL.contains(q)) {
        throw new IllegalArgumentException("unknown queue '" + q + "': expected some of " + String.join(", ", ALL));
      }
    }
  }

  private TaskQueues() {}
}
