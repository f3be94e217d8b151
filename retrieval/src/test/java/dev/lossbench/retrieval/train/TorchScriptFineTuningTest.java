package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.HuggingFaceCaptionTokenizer;
import dev.lossbench.retrieval.data.ImagePreprocessing;
import dev.lossbench.retrieval.data.KarpathyDataset;
import dev.lossbench.retrieval.data.SyntheticConfig;
import dev.lossbench.retrieval.data.SyntheticSceneImages;
import dev.lossbench.retrieval.eval.Embeddings;
import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.model.TorchScriptDualEncoder;
import dev.lossbench.retrieval.model.TorchScriptFixture;
import dev.lossbench.retrieval.model.TorchScriptSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning the TorchScript fixture on the synthetic scenes rendered as 64×64 PNGs, through the
 * same training loop as lossbench's own models.
 */
class TorchScriptFineTuningTest {
  static final ImagePreprocessing PIXELS = new ImagePreprocessing(64,
      new float[]{0.48145466f, 0.4578275f, 0.40821073f}, new float[]{0.26862954f, 0.26130258f, 0.27577711f});

  @TempDir
  static Path data;
  static KarpathyDataset train;
  static KarpathyDataset dev;

  @BeforeAll
  static void render() {
    SyntheticSceneImages.render(SyntheticConfig.defaults().withImages(96, 24, 8), data, 64);
    Path json = data.resolve(SyntheticSceneImages.CAPTIONS_FILE);
    Path images = data.resolve(SyntheticSceneImages.IMAGES_DIR);
    train = KarpathyDataset.open(json, images, DatasetSplit.TRAIN, 5, PIXELS);
    dev = KarpathyDataset.open(json, images, DatasetSplit.DEV, 5, PIXELS);
  }

  static TrainingConfig config(int epochs, int steps, int checkpointEvery) {
    return TrainingConfig.fromMap(Map.of("epochs", epochs, "batch_size", 16, "lr", 1e-3, "max_steps_per_epoch", steps,
        "checkpoint_every_steps", checkpointEvery, "schedule", "constant", "grad_clip", 0));
  }

  static final class Losses implements TrainingListener {
    final List<Double> values = new ArrayList<>();

    @Override
    public void onStep(int epoch, int step, int steps, double loss, double samplesPerSecond) {
      values.add(loss);
    }

    double mean(int from, int to) {
      return values.subList(from, to).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
  }

  static Map<String, float[]> initialWeights() {
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptDualEncoder fresh = TorchScriptDualEncoder.load(m, TorchScriptFixture.spec(), false)) {
      return fresh.parameterValues();
    }
  }

  void fineTuneLowersTheLossAndChangesEveryTrainableParameter(String loss, Path run, boolean scaleTrains) {
    ModelSpec model = TorchScriptFixture.spec("freeze", "text.token", "learnable_scale", scaleTrains);
    Losses losses = new Losses();
    TrainingResult r = new TrainingLoop(train, dev, model, LossSpec.parse(loss), config(2, 12, 0), 1).run(run, losses);
    assertEquals(24, losses.values.size());
    assertTrue(losses.mean(20, 24) < losses.mean(0, 4) - 0.05,
        loss + ": the loss goes down: first steps " + losses.mean(0, 4) + ", last " + losses.mean(20, 24) + " "
            + losses.values);
    Map<String, float[]> before = initialWeights();
    Map<String, float[]> after = Checkpoint.read(r.lastCheckpoint()).parameters();
    assertEquals(before.keySet(), after.keySet());
    for (String name : before.keySet()) {
      boolean frozen = name.startsWith("text.token") || (name.equals("logit_scale") && !scaleTrains);
      if (frozen) {
        assertArrayEquals(before.get(name), after.get(name), name + " is frozen: bit-identical");
      } else {
        assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " is trained: it changed");
      }
    }
  }

  @Test
  void infonceWithTheModelsLearnableScaleFineTunes(@TempDir Path run) {
    fineTuneLowersTheLossAndChangesEveryTrainableParameter("infonce:learnable=true", run, true);
  }

  @Test
  void unifiedFineTunes(@TempDir Path run) {
    fineTuneLowersTheLossAndChangesEveryTrainableParameter("unified:gamma=20", run, false);
  }

  @Test
  void unifiedWithTheModelsLearnableScaleFineTunes(@TempDir Path run) {
    fineTuneLowersTheLossAndChangesEveryTrainableParameter("unified:gamma=20", run, true);
  }

  @Test
  void resumingMidEpochEqualsAnUninterruptedRun(@TempDir Path straight, @TempDir Path killed) {
    ModelSpec model = TorchScriptFixture.spec("pretrained_lr", 1e-4, "head", "visual.proj text.proj");
    LossSpec loss = LossSpec.parse("infonce:learnable=true");
    TrainingConfig cfg = config(2, 6, 2);
    TrainingResult want = new TrainingLoop(train, dev, model, loss, cfg, 3).run(straight, TrainingListener.NONE);
    assertThrows(TrainingResumeTest.Killed.class,
        () -> new TrainingLoop(train, dev, model, loss, cfg, 3).run(killed, TrainingResumeTest.killAt(1, 2)));
    CheckpointState mid = Checkpoint.read(ArtifactsLayout.lastCheckpoint(killed));
    assertEquals(1, mid.epoch());
    assertEquals(2, mid.stepInEpoch());
    TrainingResult resumed = new TrainingLoop(train, dev, model, loss, cfg, 3).run(killed, TrainingListener.NONE);
    assertEquals(want.history().stream().map(e -> e.trainLoss()).toList(),
        resumed.history().stream().map(e -> e.trainLoss()).toList());
    Map<String, float[]> a = Checkpoint.read(want.lastCheckpoint()).parameters();
    Map<String, float[]> b = Checkpoint.read(resumed.lastCheckpoint()).parameters();
    a.forEach((name, v) -> assertArrayEquals(v, b.get(name), name + ": resumed weights equal the uninterrupted run's"));
    Map<String, float[]> oa = Checkpoint.read(want.lastCheckpoint()).optimizer();
    Map<String, float[]> ob = Checkpoint.read(resumed.lastCheckpoint()).optimizer();
    oa.forEach((name, v) -> assertArrayEquals(v, ob.get(name), name + ": optimiser state"));
  }

  @Test
  void aRunRefusesToResumeOnAnotherModule(@TempDir Path run, @TempDir Path models) throws java.io.IOException {
    Path module = java.nio.file.Files.copy(TorchScriptFixture.model(), models.resolve("model.pt"));
    ModelSpec model = TorchScriptFixture.spec(module);
    TrainingConfig cfg = config(2, 2, 0);
    assertThrows(TrainingResumeTest.Killed.class,
        () -> new TrainingLoop(train, dev, model, LossSpec.parse("infonce"), cfg, 1).run(run,
            TrainingResumeTest.killAt(1, 0)));
    // the same path, other bytes (a re-export): the checkpoint belongs to another run
    java.nio.file.Files.copy(ArtifactsLayout.lastModule(run), module,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> new TrainingLoop(train, dev, model, LossSpec.parse("infonce"), cfg, 1).run(run, TrainingListener.NONE));
    assertTrue(e.getMessage().contains("checkpoint of another run"), e.getMessage());
  }

  @Test
  void pretrainedWeightsMoveAtTheirOwnRate(@TempDir Path run) {
    ModelSpec model = TorchScriptFixture.spec("pretrained_lr", 1e-7, "head", "visual.proj text.proj");
    TrainingResult r = new TrainingLoop(train, dev, model, LossSpec.parse("infonce"), config(1, 3, 0), 1).run(run,
        TrainingListener.NONE);
    Map<String, float[]> before = initialWeights();
    Map<String, float[]> after = Checkpoint.read(r.lastCheckpoint()).parameters();
    // AdamW moves each weight by about lr per step: 3 steps
    assertTrue(maxChange(before, after, "visual.proj.weight") > 1e-4, "heads train at training.lr");
    assertTrue(maxChange(before, after, "visual.patch_embed.weight") < 1e-6, "pretrained weights at pretrained_lr");
    assertTrue(maxChange(before, after, "visual.patch_embed.weight") > 0, "but they do train");
  }

  static double maxChange(Map<String, float[]> a, Map<String, float[]> b, String name) {
    double max = 0;
    for (int i = 0; i < a.get(name).length; i++) {
      max = Math.max(max, Math.abs(a.get(name)[i] - b.get(name)[i]));
    }
    return max;
  }

  @Test
  void theExportedModuleReloadsWithTheSameEmbeddings(@TempDir Path run) {
    ModelSpec model = TorchScriptFixture.spec();
    TrainingResult r = new TrainingLoop(train, dev, model, LossSpec.parse("infonce"), config(1, 4, 0), 1).run(run,
        TrainingListener.NONE);
    Path exported = ArtifactsLayout.lastModule(run);
    assertTrue(java.nio.file.Files.isRegularFile(ArtifactsLayout.bestModule(run)));
    try (NDManager m = NDManager.newBaseManager();
        TrainedModel trained = ModelAssembly.restore(r.lastCheckpoint(), m);
        TorchScriptDualEncoder reloaded = TorchScriptDualEncoder.load(m, exported, TorchScriptSpec.of(model), false)) {
      Embeddings want = Embeddings.of(trained.model(), dev, trained.tokenizer(), m);
      try (HuggingFaceCaptionTokenizer tok = HuggingFaceCaptionTokenizer.open(TorchScriptFixture.tokenizer(), 16)) {
        Embeddings got = Embeddings.of(reloaded, dev, tok, m);
        assertArrayEquals(want.images(), got.images(), 0f);
        assertArrayEquals(want.captions(), got.captions(), 0f);
      }
      Map<String, float[]> fresh = initialWeights();
      assertFalse(Arrays.equals(fresh.get("visual.proj.weight"), reloaded.parameterValues().get("visual.proj.weight")),
          "the export holds the fine-tuned weights");
    }
  }

  static long residentBytes() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  /**
   * Heap in use after collections. DJL hands input arrays to libtorch on direct buffers, which the
   * JVM frees only when a collection finds them unreachable (bounded by MaxDirectMemorySize); so
   * collect, and give the cleaner a moment, before reading resident memory too.
   */
  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Heap and native memory after 50 and after 200 steps: whatever a step leaks shows 150-fold. */
  @Test
  void memoryStaysFlatOver200Steps(@TempDir Path run) {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")),
        "needs /proc (Linux)");
    long[] at50 = new long[2];
    long[] at200 = new long[2];
    long[] t = new long[2];
    int[] seen = {0};
    TrainingListener probe = new TrainingListener() {
      @Override
      public void onStep(int epoch, int step, int steps, double loss, double samplesPerSecond) {
        seen[0]++;
        if (seen[0] == 50) {
          at50[0] = heapAfterGc();
          at50[1] = residentBytes() - Runtime.getRuntime().totalMemory();
          t[0] = System.nanoTime();
        } else if (seen[0] == 200) {
          t[1] = System.nanoTime();
          at200[0] = heapAfterGc();
          at200[1] = residentBytes() - Runtime.getRuntime().totalMemory();
        }
      }
    };
    ModelSpec model = TorchScriptFixture.spec("freeze", "text.token");
    new TrainingLoop(train, dev, model, LossSpec.parse("infonce:learnable=true"), config(8, 25, 0), 1).run(run, probe);
    assertEquals(200, seen[0]);
    double mb = 1024 * 1024;
    System.out.printf(
        "torchscript fine-tuning memory: heap in use %.1f -> %.1f MB, native (resident - committed heap) %.1f -> %.1f MB "
            + "(steps 50 -> 200); %.1f steps/s (batch 16, 64 px, incl. PNG decoding and 6 validations)%n",
        at50[0] / mb, at200[0] / mb, at50[1] / mb, at200[1] / mb, 150 / ((t[1] - t[0]) / 1e9));
    assertTrue(at200[0] - at50[0] < 16 * mb, "heap grew " + (at200[0] - at50[0]) / mb + " MB over 150 steps");
    // resident memory on a busy 2-core machine moves by tens of MB (malloc arenas of the decoder
    // threads, JIT); a step that leaked its activations or gradients would add well over 1 MB a step
    assertTrue(at200[1] - at50[1] < 64 * mb, "native memory grew " + (at200[1] - at50[1]) / mb + " MB over 150 steps");
  }

  /** The loader's throughput, printed for the README (decoding + CLIP preprocessing, parallel). */
  @Test
  void theLoaderDeliversImages() {
    int[] ids = java.util.stream.IntStream.range(0, train.images()).toArray();
    train.readImages(ids);
    long t0 = System.nanoTime();
    int rounds = 5;
    for (int r = 0; r < rounds; r++) {
      assertEquals(ids.length, train.readImages(ids).size());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("karpathy loader: %.0f images/s (64 px PNGs -> 3x64x64 floats, %d decoder threads)%n",
        rounds * ids.length / seconds, Runtime.getRuntime().availableProcessors());
  }
}
