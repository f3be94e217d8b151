package dev.lossbench.workflows.benchmark;

import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import java.util.List;

/**
 * @param continuation {@code null} for a submission; where the previous workflow run stopped when the
 *     benchmark continued as new
 * @param promote labels of loss variants of an adaptive benchmark whose stopped runs continue to the last epoch
 *     ({@code lossbench resume NAME --promote VARIANT}); empty otherwise
 */
public record BenchmarkRequest(String benchmarkId, BenchmarkSpec spec, OrchestrationSettings settings,
    BenchmarkContinuation continuation, List<String> promote) {
  public BenchmarkRequest {
    promote = promote == null ? List.of() : List.copyOf(promote);
  }

  public BenchmarkRequest(String benchmarkId, BenchmarkSpec spec, OrchestrationSettings settings) {
    this(benchmarkId, spec, settings, null, List.of());
  }

  public BenchmarkRequest(String benchmarkId, BenchmarkSpec spec, OrchestrationSettings settings,
      BenchmarkContinuation continuation) {
    this(benchmarkId, spec, settings, continuation, List.of());
  }

  BenchmarkRequest continuing(BenchmarkContinuation next) {
    return new BenchmarkRequest(benchmarkId, spec, settings, next, promote);
  }
}
