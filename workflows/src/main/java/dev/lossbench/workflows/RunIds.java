package dev.lossbench.workflows;

import dev.lossbench.retrieval.io.Sha256;
import dev.lossbench.workflows.matrix.BenchmarkSpec;

/**
 * Ids derived from the matrix, so re-submitting it finds the same benchmark and runs. A run id
 * covers the benchmark as well as the cell: the same cell in two benchmarks is two runs, each
 * owned by its benchmark (the store's run ids are global).
 */
public final class RunIds {
  private RunIds() {}

  /** {@code benchmark-NAME-HASH}: the benchmark's id in the store and its workflow id. */
  public static String benchmarkId(BenchmarkSpec spec) {
    return "benchmark-" + spec.name() + "-" + spec.specHash();
  }

  /** The run of cell {@code cellId} in benchmark {@code benchmarkId}; also its workflow id. */
  public static String runId(String benchmarkId, String cellId) {
    return "run-" + Sha256.hex(benchmarkId + "/" + cellId).substring(0, 20);
  }
}
