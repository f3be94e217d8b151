package dev.lossbench.retrieval.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.retrieval.io.CheckpointFile.CheckpointFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {

  @Test
  void aCheckpointIsHashedWhole(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("best.ckpt"), CheckpointFile.MAGIC + "weights");
    assertEquals(Sha256.hex("LBCKPT01weights"), CheckpointFile.check(file));
  }

  @Test
  void aForeignFileIsRejectedNamingItAndTheMagic(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("model.pt"), "PK\u0003\u0004 a zip archive");
    CheckpointFileException e = assertThrows(CheckpointFileException.class, () -> CheckpointFile.check(file));
    assertEquals(file, e.file());
    assertEquals("is not a lossbench checkpoint (its first bytes are not LBCKPT01)", e.problem());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    // shorter than the magic
    Files.writeString(file, "LB");
    assertThrows(CheckpointFileException.class, () -> CheckpointFile.check(file));
  }

  @Test
  void aMissingFileOrADirectoryIsRejected(@TempDir Path dir) {
    assertEquals("does not exist", assertThrows(CheckpointFileException.class,
        () -> CheckpointFile.check(dir.resolve("none.ckpt"))).problem());
    assertEquals("is not a file",
        assertThrows(CheckpointFileException.class, () -> CheckpointFile.check(dir)).problem());
  }
}
