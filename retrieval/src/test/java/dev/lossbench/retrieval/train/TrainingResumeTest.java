package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.io.ArtifactsLayout;
import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resumed run equals an uninterrupted one; seeds decide everything; bad checkpoints are named. */
class TrainingResumeTest {
  static final ModelSpec MODEL = ModelSpec.parse("vse-gpo:embed_dim=32,word_dim=16,region_drop=0.2");
  static final LossSpec LOSS = LossSpec.parse("triplet-hn:warmup_epochs=1");
  static final TrainingConfig CONFIG = TrainingConfig.fromMap(Map.of(
      "epochs", 3, "batch_size", 32, "lr", 1e-3, "max_steps_per_epoch", 6, "checkpoint_every_steps", 4,
      "schedule", "step", "lr_decay_epoch", 2));

  @TempDir static Path data;
  static SyntheticFixture fixture;

  @BeforeAll
  static void generate() {
    fixture = new SyntheticFixture(data, 120, 40);
  }

  static TrainingLoop loop(long seed) {
    return new TrainingLoop(fixture.train, fixture.dev, MODEL, LOSS, CONFIG, seed);
  }

  /** Stands in for a killed worker: thrown from the listener once the run reaches a checkpoint. */
  static final class Killed extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  static TrainingListener killAt(int epoch, int stepInEpoch) {
    return new TrainingListener() {
      @Override
      public void onCheckpoint(int e, int s) {
        if (e == epoch && s == stepInEpoch) {
          throw new Killed();
        }
      }
    };
  }

  @Test
  void resumingAtAnEpochBoundaryOrMidEpochEqualsAnUninterruptedRun(@TempDir Path straight, @TempDir Path atEpoch,
      @TempDir Path midEpoch) {
    TrainingResult want = loop(7).run(straight, TrainingListener.NONE);

    assertThrows(Killed.class, () -> loop(7).run(atEpoch, killAt(1, 0)));
    assertEquals(1, Checkpoint.read(ArtifactsLayout.lastCheckpoint(atEpoch)).epoch());
    TrainingResult resumed = loop(7).run(atEpoch, TrainingListener.NONE);

    assertThrows(Killed.class, () -> loop(7).run(midEpoch, killAt(1, 4)));
    CheckpointState mid = Checkpoint.read(ArtifactsLayout.lastCheckpoint(midEpoch));
    assertEquals(1, mid.epoch());
    assertEquals(4, mid.stepInEpoch());
    TrainingResult resumedMid = loop(7).run(midEpoch, TrainingListener.NONE);

    for (TrainingResult r : List.of(resumed, resumedMid)) {
      assertEquals(metricsOnly(want.history()), metricsOnly(r.history()));
      assertEquals(want.bestEpoch(), r.bestEpoch());
    }
    assertWeightsEqual(ArtifactsLayout.lastCheckpoint(straight), ArtifactsLayout.lastCheckpoint(atEpoch));
    assertWeightsEqual(ArtifactsLayout.lastCheckpoint(straight), ArtifactsLayout.lastCheckpoint(midEpoch));
    assertWeightsEqual(ArtifactsLayout.bestCheckpoint(straight), ArtifactsLayout.bestCheckpoint(midEpoch));
  }

  @Test
  void aFinishedRunIsNotTrainedAgain(@TempDir Path run) throws IOException {
    TrainingResult first = loop(3).run(run, TrainingListener.NONE);
    long written = Files.getLastModifiedTime(ArtifactsLayout.lastCheckpoint(run)).toMillis();
    int[] steps = {0};
    TrainingResult again = loop(3).run(run, new TrainingListener() {
      @Override
      public void onStep(int epoch, int step, int n, double loss, double sps) {
        steps[0]++;
      }
    });
    assertEquals(0, steps[0]);
    assertEquals(metricsOnly(first.history()), metricsOnly(again.history()));
    assertEquals(written, Files.getLastModifiedTime(ArtifactsLayout.lastCheckpoint(run)).toMillis());
  }

  @Test
  void theSameSeedGivesTheSameMetricsAndAnotherSeedOthers(@TempDir Path a, @TempDir Path b, @TempDir Path c) {
    TrainingResult first = loop(11).run(a, TrainingListener.NONE);
    TrainingResult second = loop(11).run(b, TrainingListener.NONE);
    TrainingResult other = loop(12).run(c, TrainingListener.NONE);
    assertEquals(metricsOnly(first.history()), metricsOnly(second.history()));
    assertNotEquals(metricsOnly(first.history()), metricsOnly(other.history()));
  }

  @Test
  void corruptTruncatedOrForeignCheckpointsAreClearErrors(@TempDir Path run, @TempDir Path other) throws IOException {
    assertThrows(Killed.class, () -> loop(5).run(run, killAt(1, 0)));
    Path last = ArtifactsLayout.lastCheckpoint(run);
    byte[] good = Files.readAllBytes(last);

    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x40;
    Files.write(last, flipped);
    CheckpointException e = assertThrows(CheckpointException.class, () -> loop(5).run(run, TrainingListener.NONE));
    assertEquals(last + ": corrupt checkpoint (checksum mismatch)", e.getMessage());

    Files.write(last, Arrays.copyOf(good, good.length - 1000));
    e = assertThrows(CheckpointException.class, () -> Checkpoint.read(last));
    assertTrue(e.getMessage().startsWith(last + ": truncated checkpoint"), e.getMessage());

    Files.write(last, Arrays.copyOf(good, 5));
    e = assertThrows(CheckpointException.class, () -> Checkpoint.read(last));
    assertEquals(last + ": truncated checkpoint (5 bytes)", e.getMessage());

    Files.writeString(last, "x".repeat(100));
    e = assertThrows(CheckpointException.class, () -> Checkpoint.read(last));
    assertEquals(last + ": not a lossbench checkpoint (bad magic)", e.getMessage());

    // a checkpoint of another run (another seed) is refused, not silently continued
    Files.write(ArtifactsLayout.lastCheckpoint(other), good);
    e = assertThrows(CheckpointException.class, () -> loop(6).run(other, TrainingListener.NONE));
    assertTrue(e.getMessage().contains("checkpoint of another run"), e.getMessage());
  }

  @Test
  void nanInTheFeaturesStopsTheRunAsDiverged(@TempDir Path copy, @TempDir Path run) throws IOException {
    for (String f : List.of("train_ims.npy", "train_caps.txt", "dev_ims.npy", "dev_caps.txt")) {
      Files.copy(data.resolve(f), copy.resolve(f));
    }
    try (RandomAccessFile raf = new RandomAccessFile(copy.resolve("train_ims.npy").toFile(), "rw")) {
      long dataStart = 128; // NpyWriter's version-1 header is padded to 128 bytes here
      for (long pos = dataStart; pos < raf.length(); pos += 4L * 128 * 8) { // the first region of every image
        raf.seek(pos);
        raf.writeInt(Integer.reverseBytes(Float.floatToIntBits(Float.NaN)));
      }
    }
    var train = dev.lossbench.retrieval.data.PrecompDataset.open(copy, dev.lossbench.retrieval.data.DatasetSplit.TRAIN);
    TrainingLoop nan = new TrainingLoop(train, fixture.dev, ModelSpec.parse("vse-mean:embed_dim=16,word_dim=8,region_drop=0"),
        LossSpec.parse("infonce"), CONFIG, 1);
    DivergedException e = assertThrows(DivergedException.class, () -> nan.run(run, TrainingListener.NONE));
    assertEquals("diverged at epoch 0, step 0: loss is NaN", e.getMessage());
  }

  /** The figures of each epoch without its wall-clock timing. */
  static List<String> metricsOnly(List<EpochMetrics> history) {
    return history.stream().map(m -> m.epoch() + " " + m.trainLoss() + " " + m.validation() + " " + m.learningRate() + " " + m.gradNorm()).toList();
  }

  static void assertWeightsEqual(Path a, Path b) {
    Map<String, float[]> wa = Checkpoint.read(a).parameters();
    Map<String, float[]> wb = Checkpoint.read(b).parameters();
    assertEquals(wa.keySet(), wb.keySet());
    double max = 0;
    for (String k : wa.keySet()) {
      float[] x = wa.get(k);
      float[] y = wb.get(k);
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs(x[i] - y[i]));
      }
    }
    assertTrue(max <= 1e-6, "max abs weight difference " + max);
  }
}
