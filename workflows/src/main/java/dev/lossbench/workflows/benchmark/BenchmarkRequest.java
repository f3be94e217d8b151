package dev.lossbench.workflows.benchmark;

import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.matrix.BenchmarkSpec;

/**
 * @param continuation {@code null} for a submission; where the previous workflow run stopped when the
 *     benchmark continued as new
 */
public record BenchmarkRequest(String benchmarkId, BenchmarkSpec spec, OrchestrationSettings settings,
    BenchmarkContinuation continuation) {
  public BenchmarkRequest(String benchmarkId, BenchmarkSpec spec, OrchestrationSettings settings) {
    this(benchmarkId, spec, settings, null);
  }

  BenchmarkRequest continuing(BenchmarkContinuation next) {
    return new BenchmarkRequest(benchmarkId, spec, settings, next);
  }
}
