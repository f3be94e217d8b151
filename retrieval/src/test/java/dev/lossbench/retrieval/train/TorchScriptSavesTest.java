package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.KarpathyDataset;
import dev.lossbench.retrieval.data.SyntheticConfig;
import dev.lossbench.retrieval.data.SyntheticSceneImages;
import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.model.TorchScriptDualEncoder;
import dev.lossbench.retrieval.model.TorchScriptFixture;
import dev.lossbench.retrieval.model.TorchScriptSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TorchScript run's exported modules hold the weights of the checkpoints beside them, also when a save fails
 * half-way and the run is retried. Today an export that failed after last.ckpt had advanced (out of memory in the
 * issue's run) was never written again: the succeeded run's last.pt held the epoch before's weights.
 */
class TorchScriptSavesTest {
  static final ModelSpec MODEL = TorchScriptFixture.spec();
  @TempDir
  static Path data;
  static KarpathyDataset train;
  static KarpathyDataset dev;

  @BeforeAll
  static void render() {
    SyntheticSceneImages.render(SyntheticConfig.defaults().withImages(96, 24, 8), data, 64);
    Path json = data.resolve(SyntheticSceneImages.CAPTIONS_FILE);
    Path images = data.resolve(SyntheticSceneImages.IMAGES_DIR);
    train = KarpathyDataset.open(json, images, DatasetSplit.TRAIN, 5, TorchScriptFineTuningTest.PIXELS);
    dev = KarpathyDataset.open(json, images, DatasetSplit.DEV, 5, TorchScriptFineTuningTest.PIXELS);
  }

  @Test
  void theExportsHoldTheWeightsOfTheCheckpointsBesideThem(@TempDir Path run) {
    new TrainingLoop(train, dev, MODEL, LossSpec.parse("infonce"),
        TorchScriptFineTuningTest.config(3, 3, 0), 1).run(run, TrainingListener.NONE);
    assertSameWeights(ArtifactsLayout.lastCheckpoint(run), ArtifactsLayout.lastModule(run));
    assertSameWeights(ArtifactsLayout.bestCheckpoint(run), ArtifactsLayout.bestModule(run));
  }

  /** The last epoch's export fails (a directory stands where last.pt goes); the retry must leave both in step. */
  @Test
  void anExportThatFailsIsWrittenAgainByTheRetry(@TempDir Path run) throws IOException {
    TrainingConfig cfg = TorchScriptFineTuningTest.config(2, 3, 0);
    Path lastModule = ArtifactsLayout.lastModule(run);
    AtomicInteger blocked = new AtomicInteger();
    TrainingListener blockLastEpochsExport = new TrainingListener() {
      @Override
      public void onEpoch(EpochMetrics m) {
        if (m.epoch() == cfg.epochs() - 1) {
          try {
            Files.delete(lastModule);
            Files.createDirectories(lastModule.resolve("in-the-way"));
            blocked.incrementAndGet();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    };
    assertThrows(RuntimeException.class, () -> new TrainingLoop(train,
        dev, MODEL, LossSpec.parse("infonce"), cfg, 1).run(run, blockLastEpochsExport));
    assertEquals(1, blocked.get());
    Files.delete(lastModule.resolve("in-the-way"));
    Files.delete(lastModule);

    new TrainingLoop(train, dev, MODEL, LossSpec.parse("infonce"),
        cfg, 1).run(run, TrainingListener.NONE);
    assertEquals(cfg.epochs(), Checkpoint.read(ArtifactsLayout.lastCheckpoint(run)).epoch(), "the run finished");
    assertSameWeights(ArtifactsLayout.lastCheckpoint(run), lastModule);
    assertSameWeights(ArtifactsLayout.bestCheckpoint(run), ArtifactsLayout.bestModule(run));
  }

  static void assertSameWeights(Path checkpoint, Path module) {
    assertTrue(Files.isRegularFile(module), module + " written");
    Map<String, float[]> want = Checkpoint.read(checkpoint).parameters();
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptDualEncoder loaded = TorchScriptDualEncoder.load(m, module, TorchScriptSpec.of(MODEL), false)) {
      Map<String, float[]> got = loaded.parameterValues();
      assertEquals(want.keySet(), got.keySet());
      want.forEach((name, v) -> assertArrayEquals(v, got.get(name), 0f, module + " " + name + " as in " + checkpoint));
    }
  }
}
