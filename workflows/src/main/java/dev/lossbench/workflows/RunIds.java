package dev.lossbench.workflows;

import dev.lossbench.retrieval.io.Sha256;
import dev.lossbench.workflows.matrix.BenchmarkSpec;

/**
 * Ids derived from the matrix, so re-submitting it finds the same benchmark and runs. A run is a
 * cell's content, not a cell of one benchmark: the same cell in two benchmarks is one run, linked to
 * both, so a finished cell is never trained twice.
 */
public final class RunIds {
  private RunIds() {}

  /** {@code benchmark-NAME-HASH}: the benchmark's id in the store and its workflow id. */
  public static String benchmarkId(BenchmarkSpec spec) {
    return "benchmark-" + spec.name() + "-" + spec.specHash();
  }

  /**
   * The run of the cell whose content identity is {@code cellId}, in every benchmark that contains it; also its
   * workflow id. The content identity is {@link dev.lossbench.workflows.matrix.Cell#id()}, except where the
   * registration says otherwise ({@link dev.lossbench.workflows.activities.CellRuns#runIds()}).
   */
  public static String ofCell(String cellId) {
    return "run-" + cellId;
  }

  /**
   * The run id of cell {@code cellId} in benchmark {@code benchmarkId} as releases before content identities
   * made it (one run per benchmark and cell): the runs of their stores, and workflows they started, keep it.
   */
  public static String runId(String benchmarkId, String cellId) {
    return "run-" + Sha256.hex(benchmarkId + "/" + cellId).substring(0, 20);
  }
}
