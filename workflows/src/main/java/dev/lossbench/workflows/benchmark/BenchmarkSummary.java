package dev.lossbench.workflows.benchmark;

import dev.lossbench.workflows.run.RunPhase;
import java.util.List;

/**
 * How a benchmark ended: {@code succeeded} when every run did, else {@code failed} (or {@code cancelled}); its runs
 * counted by state, and the first {@link #MAX_PROBLEMS} runs that did not succeed with their errors (the store has
 * every run: {@code lossbench status}). Its size does not grow with the matrix.
 */
public record BenchmarkSummary(String benchmarkId, RunPhase status, RunCounts counts, List<RunState> problems) {
  /** Runs that did not succeed carried by name in a summary or progress answer; the rest are counted. */
  public static final int MAX_PROBLEMS = 100;

  public long count(RunPhase runStatus) {
    return counts.of(runStatus);
  }

  /** Unsucceeded runs counted but not listed in {@link #problems()}. */
  public int problemsLeftOut() {
    return Math.max(0, counts.unsucceeded() - problems.size());
  }
}
