package dev.lossbench.retrieval.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @Test
  void writeReplacesTheContentAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("sub/last.ckpt");
    AtomicFiles.write(file, new byte[]{1, 2, 3});
    assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(file));
    AtomicFiles.write(file, out -> out.write(new byte[]{4, 5}));
    assertArrayEquals(new byte[]{4, 5}, Files.readAllBytes(file));
    assertEquals(List.of(file), files(dir.resolve("sub")));
  }

  @Test
  void aFailedWriteKeepsTheOldFileAndRemovesItsTemporary(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("best.ckpt"), "old");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
      out.write(new byte[]{9, 9});
      throw new IOException("disk full");
    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old", Files.readString(file));
    assertEquals(List.of(file), files(dir));
  }

  @Test
  void copyReplacesTheTargetAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
    Path from = Files.writeString(dir.resolve("last.pt"), "new");
    Path to = Files.writeString(dir.resolve("best.pt"), "old");
    AtomicFiles.copy(from, to);
    assertEquals("new", Files.readString(to));
    assertEquals(List.of(to, from), files(dir));
  }

  @Test
  void temporarySiblingsAreBesideTheFileAndDistinct(@TempDir Path dir) {
    Path file = dir.resolve("images.npy");
    Path a = AtomicFiles.temporarySibling(file);
    Path b = AtomicFiles.temporarySibling(file);
    assertEquals(file.toAbsolutePath().getParent(), a.getParent());
    assertFalse(a.equals(b));
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
