package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Checkpoint#open}, how a run resumes and evaluation loads (issue #25): the file checked whole, its arrays read
 * from it one at a time when asked for and never kept — so a large module's checkpoint is not on the heap for the
 * attempt's lifetime — with the same values {@link Checkpoint#read} gives.
 */
class CheckpointStreamedReadTest {
  private static final RunIdentity RUN = new RunIdentity("torchscript:path=m.pt", "infonce", "{}", 7, "d", 12);

  private static CheckpointState state() {
    SplittableRandom rnd = new SplittableRandom(3);
    Map<String, float[]> params = new LinkedHashMap<>();
    Map<String, float[]> moments = new LinkedHashMap<>();
    // one array larger than the reader's 1 MiB chunk, one of a single value, one empty
    for (Map.Entry<String, Integer> e : Map.of("visual.proj", 300_001, "logit_scale", 1, "empty", 0).entrySet()) {
      float[] v = new float[e.getValue()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) rnd.nextGaussian();
      }
      params.put(e.getKey(), v);
      moments.put(e.getKey() + ".m", v.clone());
      moments.put(e.getKey() + ".v", new float[v.length]);
    }
    return new CheckpointState(RUN, 1, 5, 17, 2.5, 1.25, 9.0, 120.5, 0, List.of(), List.of("<pad>", "<unk>"), params,
        moments, 17);
  }

  @Test
  void theArraysReadOneAtATimeEqualTheWholeRead(@TempDir Path dir) {
    Path file = dir.resolve("last.ckpt");
    Checkpoint.write(file, state());

    CheckpointState whole = Checkpoint.read(file);
    CheckpointState streamed = Checkpoint.open(file);

    assertEquals(whole.run(), streamed.run());
    assertEquals(List.of(whole.epoch(), whole.stepInEpoch(), whole.globalStep(), whole.optimizerSteps()),
        List.of(streamed.epoch(), streamed.stepInEpoch(), streamed.globalStep(), streamed.optimizerSteps()));
    assertEquals(whole.vocabulary(), streamed.vocabulary());
    sameArrays(whole.parameters(), streamed.parameters());
    sameArrays(whole.optimizer(), streamed.optimizer());
    assertArrayEquals(state().parameters().get("visual.proj"), streamed.parameters().get("visual.proj"));
  }

  private static void sameArrays(Map<String, float[]> whole, Map<String, float[]> streamed) {
    assertEquals(List.copyOf(whole.keySet()), List.copyOf(streamed.keySet()), "the file's order");
    for (Map.Entry<String, float[]> e : streamed.entrySet()) {
      assertArrayEquals(whole.get(e.getKey()), e.getValue(), e.getKey());
      assertArrayEquals(whole.get(e.getKey()), streamed.get(e.getKey()), e.getKey());
    }
  }

  @Test
  void nothingIsKeptAndAReplacedOrRemovedFileIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("last.ckpt");
    Checkpoint.write(file, state());
    CheckpointState streamed = Checkpoint.open(file);

    // the next save renames a new checkpoint over it: its arrays are not this state's
    Path next = dir.resolve("next.ckpt");
    Checkpoint.write(next, new CheckpointState(RUN, 2, 0, 20, 0, 0, 0, 121, 1, List.of(), List.of("<pad>", "<unk>"),
        state().parameters(), state().optimizer(), 20));
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    CheckpointException replaced = assertThrows(CheckpointException.class,
        () -> streamed.parameters().get("logit_scale"));
    assertEquals(file + ": checkpoint replaced while it was being read (array logit_scale)", replaced.getMessage());

    CheckpointState again = Checkpoint.open(file);
    Files.delete(file);
    // names and sizes need no read; the values were never kept
    assertEquals(3, again.parameters().size());
    assertTrue(again.optimizer().containsKey("visual.proj.m"));
    CheckpointException removed = assertThrows(CheckpointException.class, () -> again.optimizer().get("visual.proj.m"));
    assertTrue(removed.getMessage().startsWith(file + ": checkpoint removed while it was being read"),
        removed.getMessage());
  }

  @Test
  void aTruncatedOrCorruptFileIsRefusedWhenOpenedNotWhenAnArrayIsRead(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("last.ckpt");
    Checkpoint.write(file, state());
    byte[] bytes = Files.readAllBytes(file);

    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    CheckpointException truncated = assertThrows(CheckpointException.class, () -> Checkpoint.open(file));
    assertTrue(truncated.getMessage().contains("truncated checkpoint"), truncated.getMessage());

    byte[] flipped = bytes.clone();
    flipped[bytes.length / 2] ^= 1; // inside visual.proj's values
    Files.write(file, flipped);
    CheckpointException corrupt = assertThrows(CheckpointException.class, () -> Checkpoint.open(file));
    assertEquals(file + ": corrupt checkpoint (checksum mismatch)", corrupt.getMessage());
  }
}
