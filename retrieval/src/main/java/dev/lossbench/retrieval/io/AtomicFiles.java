package dev.lossbench.retrieval.io;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Files that appear under their name only when complete: content goes to a temporary sibling
 * (same directory, so the rename stays on one file system), which is then renamed into place.
 * A crash mid-write leaves the previous file intact and, at worst, a stray {@code .part} file.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes a file's content to the stream it is given; buffers it adds must be flushed before returning. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code file} through a temporary sibling that is synced to disk before the rename, so
   * the new content is durable once it is visible. Creates the parent directory.
   */
  public static void write(Path file, Content content) throws IOException {
    write(file, content, () -> {});
  }

  /**
   * {@link #write(Path, Content)}, asking {@code beforeReplace} just before the complete file is renamed into
   * place: an exception from it leaves the previous file as it was (a writer that may have lost the right to
   * write, e.g. a stale training attempt, checks it there).
   */
  public static void write(Path file, Content content, Runnable beforeReplace) throws IOException {
    Path temp = temporarySibling(file);
    Files.createDirectories(temp.getParent());
    try {
      try (FileOutputStream fos = new FileOutputStream(temp.toFile())) {
        OutputStream out = new BufferedOutputStream(fos, 1 << 16);
        content.writeTo(out);
        out.flush();
        fos.getFD().sync();
      }
      beforeReplace.run();
      replace(temp, file);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Writes {@code bytes} as {@code file} (see {@link #write(Path, Content)}). */
  public static void write(Path file, byte[] bytes) throws IOException {
    write(file, out -> out.write(bytes));
  }

  /** Copies {@code from} to {@code to}: {@code to} is the old file or the whole copy, never a part. */
  public static void copy(Path from, Path to) throws IOException {
    copy(from, to, () -> {});
  }

  /** {@link #copy(Path, Path)}, asking {@code beforeReplace} just before the copy is renamed into place. */
  public static void copy(Path from, Path to, Runnable beforeReplace) throws IOException {
    Path temp = temporarySibling(to);
    try {
      Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
      beforeReplace.run();
      replace(temp, to);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * A fresh name beside {@code file} for writing it in pieces before {@link #replace}: for content
   * produced by a writer that wants a path or keeps its stream open across calls.
   */
  public static Path temporarySibling(Path file) {
    Path absolute = file.toAbsolutePath();
    return absolute.resolveSibling(absolute.getFileName() + "." + UUID.randomUUID() + ".part");
  }

  /** Renames a complete {@code temp} over {@code target}, replacing any file there. */
  public static void replace(Path temp, Path target) throws IOException {
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Renames {@code from} to {@code to} without asking to replace: for directories, where the
   * rename fails when {@code to} exists and is not empty (the caller decides what then).
   */
  public static void rename(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
  }
}
