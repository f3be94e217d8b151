package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.PrecompDataset;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.data.SyntheticConfig;
import dev.lossbench.retrieval.data.SyntheticScenes;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Training is unaffected by garbage collection. DJL's PyTorch engine builds a CPU array created
 * from Java values on a direct buffer without copying, and its {@code x.div(2)}-style operations
 * make such a 0-d array for the number and close it at once; autograd keeps that tensor for the
 * backward pass, so a collection between forward and backward freed the number under it and the
 * gradient read whatever reused the memory (once: "gradient norm is Infinity" in GPO's weights on
 * a busy worker). Here another thread collects and reuses freed direct memory all through training.
 */
class TrainingUnderGcPressureTest {
  static final ModelSpec MODEL = ModelSpec.parse("vse-gpo:embed_dim=32,word_dim=16");
  static final TrainingConfig CONFIG = TrainingConfig
      .fromMap(Map.of("epochs", 2, "batch_size", 16, "lr", 1e-3, "max_steps_per_epoch", 6));

  @TempDir
  static Path data;
  static RetrievalDataset train;
  static RetrievalDataset dev;

  @BeforeAll
  static void generate() {
    new SyntheticScenes(SyntheticConfig.defaults().withImages(40, 16, 16).withSeed(3)).generate(data);
    train = PrecompDataset.open(data, DatasetSplit.TRAIN);
    dev = PrecompDataset.open(data, DatasetSplit.DEV);
  }

  @ParameterizedTest
  @ValueSource(strings = {"triplet-hn", "infonce:learnable=true", "unified", "circle"})
  void sameResultWhileMemoryIsCollectedAndReused(String loss, @TempDir Path quiet, @TempDir Path busy)
      throws Exception {
    TrainingLoop loop = new TrainingLoop(train, dev, MODEL, LossSpec.parse(loss), CONFIG, 1);
    List<String> expected = trace(loop.run(quiet, TrainingListener.NONE));

    AtomicBoolean stop = new AtomicBoolean();
    Thread pressure = new Thread(() -> {
      while (!stop.get()) {
        System.gc();
        List<ByteBuffer> reuse = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          reuse.add(ByteBuffer.allocateDirect(4)); // zero-filled, in the blocks just freed
        }
        Thread.onSpinWait();
      }
    }, "gc-pressure");
    pressure.setDaemon(true);
    pressure.start();
    TrainingResult r;
    try {
      r = loop.run(busy, TrainingListener.NONE);
    } finally {
      stop.set(true);
      pressure.join();
    }
    assertEquals(expected, trace(r), loss + ": training under GC pressure differs from a quiet one");
  }

  private static List<String> trace(TrainingResult r) {
    return r.history().stream()
        .map(m -> Double.toHexString(m.trainLoss()) + "/" + Double.toHexString(m.gradNorm()) + "/"
            + m.validation().rsum())
        .toList();
  }
}
