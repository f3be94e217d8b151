package dev.lossbench.workflows.benchmark;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.lossbench.workflows.run.RunPhase;
import java.util.List;
import java.util.Locale;

/**
 * The {@code progress} query's answer: the runs counted by state, the runs in flight now, and the
 * first runs that ended without succeeding (at most {@link BenchmarkSummary#MAX_PROBLEMS}; the store
 * has every one). Its size does not grow with the matrix, so a 10,000-run benchmark answers well
 * under Temporal's payload limit. Live epoch/step/loss of running runs travel in their training
 * activities' heartbeats (read with Temporal's describe call), not through this workflow, whose
 * history would otherwise grow with every step of every run.
 */
public record BenchmarkProgress(String benchmarkId, Phase phase, RunCounts counts, List<RunState> running,
    List<RunState> problems) {
  /** What the benchmark workflow is doing; the word travels in the query's payload. */
  public enum Phase {
    REGISTERING, PREPARING_DATA, RUNNING, FINISHED, CANCELLING, CANCELLED;

    @JsonValue
    public String word() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    @JsonCreator
    public static Phase of(String word) {
      return valueOf(word.toUpperCase(Locale.ROOT).replace(' ', '_'));
    }

    @Override
    public String toString() {
      return word();
    }
  }

  public long count(RunPhase status) {
    return counts.of(status);
  }
}
