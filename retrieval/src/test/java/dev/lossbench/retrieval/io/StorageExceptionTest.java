package dev.lossbench.retrieval.io;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real write faults, no mocks: /dev/full (ENOSPC) and a directory path that is a regular file. */
class StorageExceptionTest {
  @Test
  void aFullDiskIsPermanentAndTheMessageNamesThePath() {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.isWritable(full), "/dev/full is a Linux device");
    IOException enospc = assertThrows(IOException.class, () -> Files.write(full, new byte[4096]));
    assertTrue(enospc.getMessage().contains("No space left on device"), enospc.getMessage());
    RuntimeException e = StorageException.classify("cannot write checkpoint", full, enospc);
    StorageException s = assertInstanceOf(StorageException.class, e);
    assertEquals(full, s.path());
    assertTrue(s.getMessage().startsWith("cannot write checkpoint /dev/full: No space left on device"), s.getMessage());
    // wrapped on the way, still recognised
    assertTrue(StorageException.isPermanent(new UncheckedIOException("cannot write x", enospc)));
  }

  @Test
  void aFileWhereTheDirectoryMustBeIsPermanent(@TempDir Path tmp) throws IOException {
    Path notADir = Files.writeString(tmp.resolve("runs"), "a file, not a directory");
    Path file = notADir.resolve("run-1").resolve("last.ckpt");
    IOException cause = assertThrows(IOException.class, () -> AtomicFiles.write(file, new byte[]{1}));
    StorageException s = assertInstanceOf(StorageException.class,
        StorageException.classify("cannot write checkpoint", file, cause));
    assertTrue(s.getMessage().startsWith("cannot write checkpoint " + file + ": "), s.getMessage());
    assertTrue(s.getMessage().contains(notADir.toString()), s.getMessage());
  }

  @Test
  void otherFailuresStayRetryable() {
    IOException blip = new SocketTimeoutException("Read timed out");
    RuntimeException e = StorageException.classify("cannot write checkpoint", Path.of("/nfs/run/last.ckpt"), blip);
    assertInstanceOf(UncheckedIOException.class, e);
    assertEquals("cannot write checkpoint /nfs/run/last.ckpt: Read timed out", e.getMessage());
    assertFalse(StorageException.isPermanent(new FileSystemException("/nfs/x", null, "Stale file handle")));
    assertTrue(StorageException.isPermanent(new FileSystemException("/ro/x", null, "Read-only file system")));
    assertTrue(StorageException.isPermanent(new IOException("Disk quota exceeded")));
  }

  @Test
  void temporaryDirectoriesAndPartFilesOlderThanTheProcessAreRemoved(@TempDir Path datasets) throws IOException {
    Instant start = StaleTemporaries.processStart();
    FileTime before = FileTime.from(start.minusSeconds(3600));
    Path killed = Files.createDirectories(datasets.resolve(".synthetic-ab12.tmp-4711"));
    Files.write(killed.resolve("train_ims.npy"), new byte[1 << 16]);
    Files.setLastModifiedTime(killed.resolve("train_ims.npy"), before);
    Files.setLastModifiedTime(killed, before);
    Path old = Files.createDirectories(datasets.resolve(".synthetic-ab12.old-1f"));
    Files.setLastModifiedTime(old, before);
    Path part = Files.write(datasets.resolve("x.json.0b1c.part"), new byte[1]);
    Files.setLastModifiedTime(part, before);
    // a preparation alive in another process keeps writing: its newest file is young
    Path alive = Files.createDirectories(datasets.resolve(".synthetic-cd34.tmp-42"));
    Files.setLastModifiedTime(alive, before);
    Files.write(alive.resolve("dev_ims.npy"), new byte[1]);
    Path dataset = Files.createDirectories(datasets.resolve("synthetic-ab12"));
    Files.setLastModifiedTime(dataset, before);

    var removed = StaleTemporaries.removeTemporaryDirectories(datasets, start);
    assertEquals(3, removed.size(), removed.toString());
    assertFalse(Files.exists(killed));
    assertFalse(Files.exists(old));
    assertFalse(Files.exists(part));
    assertTrue(Files.exists(alive));
    assertTrue(Files.exists(dataset), "a dataset is not a temporary");
  }
}
