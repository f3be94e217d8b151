package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.model.DualEncoder;
import dev.lossbench.retrieval.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint snapshots (parameters and AdamW's moments copied to the host) leave nothing attached to
 * the model's long-lived manager: resident memory, measured after collections as the TorchScript
 * fine-tuning memory test does, stays flat over 50 checkpoints.
 */
class SnapshotMemoryTest {
  @Test
  void residentMemoryStaysFlatOver50Checkpoints(@TempDir Path dir) {
    Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs /proc (Linux)");
    // about 2.4M parameters: a leaked host copy per snapshot (parameters + two moments) would be ~29 MB each
    ModelSpec spec = ModelSpec.parse("vse-mean:embed_dim=256,word_dim=64");
    try (NDManager m = NDManager.newBaseManager();
        DualEncoder model = new DualEncoder(m, spec, 2048, 5000, 0.07, 1);
        AdamW optimizer = new AdamW(m, model.parameterArrays(), 1e-4)) {
      long[] at = new long[2];
      for (int i = 1; i <= 50; i++) {
        Map<String, float[]> params = model.parameterValues();
        Map<String, float[]> moments = optimizer.state();
        CheckpointState s = new CheckpointState(null, 0, i, i, 0, 0, 0, 0, -1, List.of(), List.of("a"), params, moments,
            i);
        Checkpoint.write(dir.resolve("last.ckpt"), s);
        if (i == 10) {
          TorchScriptFineTuningTest.heapAfterGc();
          at[0] = TorchScriptFineTuningTest.residentBytes() - Runtime.getRuntime().totalMemory();
        }
      }
      TorchScriptFineTuningTest.heapAfterGc();
      at[1] = TorchScriptFineTuningTest.residentBytes() - Runtime.getRuntime().totalMemory();
      double mb = 1024 * 1024;
      System.out.printf(
          "snapshot memory: %d parameters, native (resident - committed heap) %.1f -> %.1f MB (checkpoints 10 -> 50)%n",
          model.parameters().count(), at[0] / mb, at[1] / mb);
      assertTrue(at[1] - at[0] < 96 * mb, "native memory grew " + (at[1] - at[0]) / mb + " MB over 40 checkpoints");
    }
  }
}
