package dev.lossbench.workflows.benchmark;

import java.util.List;

/** How a benchmark ended: {@code succeeded} when every run did, else {@code failed} (or {@code cancelled}). */
public record BenchmarkSummary(String benchmarkId, RunState.Status status, List<RunState> runs) {
  public long count(RunState.Status runStatus) {
    return runs.stream().filter(r -> r.status() == runStatus).count();
  }
}
