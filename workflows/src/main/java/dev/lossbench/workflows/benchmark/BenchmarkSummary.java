package dev.lossbench.workflows.benchmark;

import java.util.List;

/** How a benchmark ended: {@code succeeded} when every run did, else {@code failed} (or {@code cancelled}). */
public record BenchmarkSummary(String benchmarkId, String status, List<RunState> runs) {
  public long count(String runStatus) {
    return runs.stream().filter(r -> r.status().equals(runStatus)).count();
  }
}
