package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.model.TorchScriptDualEncoder;
import dev.lossbench.retrieval.model.TorchScriptFixture;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TorchScript model loads a checkpoint's weights straight from the file into its tensors' memory (issue #25): the
 * values are the checkpoint's, and the load makes neither Java arrays nor direct buffers of the weights' size (DJL's
 * {@code create(float[])} makes a direct buffer per array that only a garbage collection frees; for a CLIP-sized model
 * restored for evaluation that kept the process ≈ 1.3 GB larger).
 */
class CheckpointIntoTensorsTest {
  private static final RunIdentity RUN = new RunIdentity("torchscript:path=m.pt", "infonce", "{}", 7, "d", 12);

  @Test
  void aCheckpointsWeightsGoStraightIntoTheTensors(@TempDir Path dir) {
    Path file = dir.resolve("best.ckpt");
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptDualEncoder model = TorchScriptDualEncoder.load(m, TorchScriptFixture.spec(), true)) {
      Map<String, float[]> saved = model.parameterValues();
      saved.replaceAll((name, v) -> {
        float[] w = v.clone();
        for (int i = 0; i < w.length; i++) {
          w[i] = (float) Math.cos(i * 0.37 + name.length());
        }
        return w;
      });
      Checkpoint.write(file, new CheckpointState(RUN, 1, 0, 8, 0, 0, 0, 50, 0, List.of(), List.of("a"), saved,
          Map.of(), 8));
      long bytes = saved.values().stream().mapToLong(v -> v.length * 4L).sum();

      Map<String, float[]> stored = Checkpoint.open(file).parameters();
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
          .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
      long heap0 = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
      long direct0 = direct.getMemoryUsed();
      model.loadParameters(stored, file.toString());
      long heap = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - heap0;
      long directGrowth = direct.getMemoryUsed() - direct0;

      Map<String, float[]> loaded = model.parameterValues();
      saved.forEach((name, v) -> assertArrayEquals(v, loaded.get(name), 0f, name));
      assertTrue(heap < bytes / 4, "the load allocated " + heap + " heap bytes for " + bytes + " bytes of weights");
      assertTrue(directGrowth < bytes / 4,
          "the load left " + directGrowth + " bytes of direct buffers for " + bytes + " bytes of weights");
    }
  }
}
