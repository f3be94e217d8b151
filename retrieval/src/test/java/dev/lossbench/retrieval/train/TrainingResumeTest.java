package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  @TempDir
  static Path data;
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
  void corruptTruncatedOrForeignCheckpointsAreClearErrors(@TempDir Path run, @TempDir Path other,
      @TempDir Path straight)
      throws IOException {
    assertThrows(Killed.class, () -> loop(5).run(run, killAt(1, 0)));
    Path last = ArtifactsLayout.lastCheckpoint(run);
    byte[] good = Files.readAllBytes(last);
    // without a previous checkpoint to fall back to, a bad last one: the run trains from the start, with a warning
    Files.delete(ArtifactsLayout.previousCheckpoint(run));

    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x40;
    Files.write(last, flipped);
    List<String> warnings = new java.util.ArrayList<>();
    TrainingResult fromTheStart = loop(5).run(run, new TrainingListener() {
      @Override
      public void onWarning(String message) {
        warnings.add(message);
      }
    });
    assertEquals(List.of(last + ": corrupt checkpoint (checksum mismatch); there is no previous checkpoint ("
        + ArtifactsLayout.previousCheckpoint(run) + "): training this run from the start"), warnings);
    assertEquals(metricsOnly(loop(5).run(straight, TrainingListener.NONE).history()),
        metricsOnly(fromTheStart.history()),
        "the same run as one never interrupted");
    CheckpointException e;

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

  /** A truncated last checkpoint (a full disk, a copy cut short) costs one checkpoint interval, not the run. */
  @Test
  void aTruncatedLastCheckpointFallsBackToThePreviousOneWithAWarning(@TempDir Path straight, @TempDir Path run)
      throws IOException {
    TrainingResult want = loop(7).run(straight, TrainingListener.NONE);

    assertThrows(Killed.class, () -> loop(7).run(run, killAt(1, 4)));
    Path last = ArtifactsLayout.lastCheckpoint(run);
    Path previous = ArtifactsLayout.previousCheckpoint(run);
    CheckpointState prev = Checkpoint.read(previous);
    assertEquals(1, prev.epoch(), "the previous checkpoint is the one the last replaced: the end of epoch 0");
    assertEquals(0, prev.stepInEpoch());
    byte[] good = Files.readAllBytes(last);
    Files.write(last, Arrays.copyOf(good, good.length / 3));

    List<String> warnings = new ArrayList<>();
    int[] firstStep = {-1, -1};
    TrainingResult resumed = loop(7).run(run, new TrainingListener() {
      @Override
      public void onWarning(String message) {
        warnings.add(message);
      }

      @Override
      public void onStep(int epoch, int step, int steps, double loss, double sps) {
        if (firstStep[0] < 0) {
          firstStep[0] = epoch;
          firstStep[1] = step;
        }
      }
    });
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith(last + ": truncated checkpoint"), warnings.get(0));
    assertTrue(warnings.get(0).endsWith("resuming from the previous checkpoint " + previous + " (epoch 1, step 0)"),
        warnings.get(0));
    assertArrayEquals(new int[]{1, 0}, firstStep, "resumed at the previous checkpoint's position");
    assertEquals(metricsOnly(want.history()), metricsOnly(resumed.history()));
    assertWeightsEqual(ArtifactsLayout.lastCheckpoint(straight), last);
  }

  /** A killed write leaves a .part file as large as a checkpoint; the next start removes it. */
  @Test
  void partFilesOfWritesAKilledProcessLeftAreRemovedAtStart(@TempDir Path run) throws IOException {
    assertThrows(Killed.class, () -> loop(5).run(run, killAt(1, 0)));
    Path stale = run.resolve("last.ckpt.0b1c7e64-dead-4bee-8000-000000000000.part");
    Files.write(stale, new byte[1 << 16]);
    Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(
        dev.lossbench.retrieval.io.StaleTemporaries.processStart().minusSeconds(60)));
    Path young = run.resolve("notes.part");
    Files.write(young, new byte[1]);
    loop(5).run(run, TrainingListener.NONE);
    assertFalse(Files.exists(stale), "older than this process: left by a killed one");
    assertTrue(Files.exists(young), "written since this process started: maybe another writer's, kept");
  }

  /** A checkpoint that cannot be written (here: the run directory is a file) is a storage error naming the path, not retried. */
  @Test
  void aCheckpointThatCannotBeWrittenIsAStorageErrorNamingThePath(@TempDir Path tmp) throws IOException {
    Path run = Files.writeString(tmp.resolve("run"), "a regular file where the run directory must be");
    var e = assertThrows(dev.lossbench.retrieval.io.StorageException.class,
        () -> loop(5).run(run, TrainingListener.NONE));
    assertTrue(e.getMessage().startsWith("cannot write checkpoint " + ArtifactsLayout.lastCheckpoint(run) + ": "),
        e.getMessage());
    assertEquals(ArtifactsLayout.lastCheckpoint(run), e.path());
  }

  /** NaN in the input is a data error naming the file and row, found before any training (not a diverged loss). */
  @Test
  void nanInTheFeaturesIsADataErrorNamingTheFileAndRowBeforeTraining(@TempDir Path copy, @TempDir Path run)
      throws IOException {
    for (String f : List.of("train_ims.npy", "train_caps.txt", "dev_ims.npy", "dev_caps.txt")) {
      Files.copy(data.resolve(f), copy.resolve(f));
    }
    long dataStart = 128; // NpyWriter's version-1 header is padded to 128 bytes here
    int rowFloats = fixture.dev.regions() * fixture.dev.dim();
    try (RandomAccessFile raf = new RandomAccessFile(copy.resolve("dev_ims.npy").toFile(), "rw")) {
      raf.seek(dataStart + 4L * (17L * rowFloats + 3 * fixture.dev.dim() + 5)); // row 17, region 3, dimension 5
      raf.writeInt(Integer.reverseBytes(Float.floatToIntBits(Float.NaN)));
    }
    var badDev = dev.lossbench.retrieval.data.PrecompDataset.open(copy, dev.lossbench.retrieval.data.DatasetSplit.DEV);
    TrainingLoop nan = new TrainingLoop(fixture.train, badDev,
        ModelSpec.parse("vse-mean:embed_dim=16,word_dim=8,region_drop=0"),
        LossSpec.parse("infonce"), CONFIG, 1);
    int[] steps = {0};
    var e = assertThrows(dev.lossbench.retrieval.InvalidInputException.class,
        () -> nan.run(run, new TrainingListener() {
          @Override
          public void onStep(int epoch, int step, int n, double loss, double sps) {
            steps[0]++;
          }
        }));
    assertEquals(copy.resolve("dev_ims.npy") + ": row 17 (image 17 of the dev split) has a non-finite feature, NaN at"
        + " region 3, dimension 5; fix or drop the row (and its captions)", e.getMessage());
    assertEquals(0, steps[0], "found before the first step");

    // in the training features too
    try (RandomAccessFile raf = new RandomAccessFile(copy.resolve("train_ims.npy").toFile(), "rw")) {
      raf.seek(dataStart + 4L * (101L * rowFloats));
      raf.writeInt(Integer.reverseBytes(Float.floatToIntBits(Float.POSITIVE_INFINITY)));
    }
    var train = dev.lossbench.retrieval.data.PrecompDataset.open(copy, dev.lossbench.retrieval.data.DatasetSplit.TRAIN);
    TrainingLoop inf = new TrainingLoop(train, fixture.dev,
        ModelSpec.parse("vse-mean:embed_dim=16,word_dim=8,region_drop=0"),
        LossSpec.parse("infonce"), CONFIG, 1);
    e = assertThrows(dev.lossbench.retrieval.InvalidInputException.class, () -> inf.run(run, TrainingListener.NONE));
    assertTrue(
        e.getMessage().startsWith(copy.resolve("train_ims.npy") + ": row 101 (image 101 of the train split) has a"
            + " non-finite feature, Infinity at region 0, dimension 0"),
        e.getMessage());
  }

  /** The figures of each epoch without its wall-clock timing. */
  static List<String> metricsOnly(List<EpochMetrics> history) {
    return history.stream()
        .map(m -> m.epoch() + " " + m.trainLoss() + " " + m.validation() + " " + m.learningRate() + " " + m.gradNorm())
        .toList();
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
