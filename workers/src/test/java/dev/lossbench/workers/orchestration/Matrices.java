package dev.lossbench.workers.orchestration;

import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.MatrixParser;
import java.nio.file.Path;
import java.util.Map;

/** Tiny matrices for orchestration tests: seconds per run on 2 cores. */
final class Matrices {
  private Matrices() {}

  static String tiny(String name, String datasets, String models, String losses, int seeds, int epochs) {
    return """
        name: %s
        max_parallel_runs: 2
        datasets:
        %s
        models: [%s]
        losses: [%s]
        seeds: %d
        training: {epochs: %d, batch_size: 16, lr: 1.0e-3, max_steps_per_epoch: 2}
        """.formatted(name, datasets, models, losses, seeds, epochs);
  }

  static final String SYNTHETIC = """
        - name: scenes
          kind: synthetic
          params: {train_images: 40, dev_images: 16, test_images: 16, seed: 3}
      """;

  static BenchmarkSpec parse(String yaml, Path base) {
    return new MatrixParser(Map.of()).read(yaml, "test.yaml", base);
  }
}
