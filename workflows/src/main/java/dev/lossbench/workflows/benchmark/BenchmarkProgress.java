package dev.lossbench.workflows.benchmark;

import java.util.List;

/**
 * The {@code progress} query's answer: every run's state. Live epoch/step/loss of running runs
 * travel in their training activities' heartbeats (read with Temporal's describe call), not through
 * this workflow, whose history would otherwise grow with every step of every run.
 */
public record BenchmarkProgress(String benchmarkId, String phase, List<RunState> runs) {
  public long count(String status) {
    return runs.stream().filter(r -> r.status().equals(status)).count();
  }
}
