package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.io.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop asks its listener before it puts a checkpoint file in place: a training attempt that has lost its run
 * to a newer attempt (fencing) is stopped there, and the run directory keeps the files it had.
 */
class CheckpointFenceTest {
  @TempDir
  static Path data;

  /** Stands in for the store's refusal of a stale attempt. */
  static final class Stale extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void aRefusingFenceLeavesTheCheckpointsAsTheyWereAndStopsTheRun(@TempDir Path run) throws IOException {
    SyntheticFixture fixture = new SyntheticFixture(data, 120, 40);
    TrainingLoop loop = new TrainingLoop(fixture.train, fixture.dev, TrainingResumeTest.MODEL, TrainingResumeTest.LOSS,
        TrainingResumeTest.CONFIG, 7);
    String[] before = new String[2];
    boolean[] stale = {false};
    int[] asked = {0};
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onCheckpoint(int epoch, int stepInEpoch) {
        if (epoch == 1 && stepInEpoch == 0) {
          // epoch 0 is done and in place; from here on a newer attempt holds the run
          before[0] = sha(ArtifactsLayout.lastCheckpoint(run));
          before[1] = sha(ArtifactsLayout.bestCheckpoint(run));
          stale[0] = true;
        }
      }

      @Override
      public void beforeCheckpointReplace() {
        asked[0]++;
        if (stale[0]) {
          throw new Stale();
        }
      }
    };

    assertThrows(Stale.class, () -> loop.run(run, listener));

    assertTrue(asked[0] >= 3, "asked before each file of epoch 0 (last, module or best) and before the next one");
    assertEquals(before[0], sha(ArtifactsLayout.lastCheckpoint(run)), "last.ckpt is still epoch 0's");
    assertEquals(before[1], sha(ArtifactsLayout.bestCheckpoint(run)), "best.ckpt too");
    assertEquals(1, Checkpoint.read(ArtifactsLayout.lastCheckpoint(run)).epoch());
    try (Stream<Path> files = Files.list(run)) {
      List<Path> parts = files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
      assertEquals(List.of(), parts, "the refused file's temporary copy is removed");
    }
  }

  private static String sha(Path file) {
    try {
      return Sha256.ofFile(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
