package dev.lossbench.workers.bench;

import java.io.PrintWriter;
import java.nio.file.Path;

/** Orchestration overhead (placeholder until implemented). */
final class OrchestrationBench {
  private OrchestrationBench() {}

  static BenchRow run(BenchSizes s, Path workDir, PrintWriter out) {
    return new BenchRow("orchestration", Double.NaN, "not measured (not implemented)", "<= 5.0%", false);
  }
}
