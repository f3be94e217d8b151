package dev.lossbench.retrieval.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.util.List;
import java.util.Locale;

/**
 * A write that no retry can make succeed: the disk is full, the quota is spent, the file system
 * is read-only, permission is denied, or a file stands where a directory must be. Its message
 * names the path and the operating system's reason, so the run ends once with that line instead
 * of retraining the same epoch on every retry.
 *
 * <p>Java reports most of these as a plain {@link IOException} whose message is the C library's
 * text ({@code No space left on device}) without the path, so {@link #classify} reads both the
 * exception types and those texts, along the whole cause chain. Anything else (a network file
 * system briefly away, an interrupted call) stays an {@link UncheckedIOException}, retried.
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** strerror texts (glibc, musl, macOS) of ENOSPC, EDQUOT, EROFS, EACCES, EPERM, ENOTDIR, EISDIR, EFBIG. */
  private static final List<String> PERMANENT_REASONS = List.of(
      "no space left on device", "disk quota exceeded", "read-only file system", "permission denied",
      "operation not permitted", "not a directory", "is a directory", "file too large");

  private final transient Path path;

  private StorageException(String message, Path path, Throwable cause) {
    super(message, cause);
    this.path = path;
  }

  /** The file or directory that could not be written. */
  public Path path() {
    return path;
  }

  /**
   * What to throw for {@code e}, met while {@code what} (e.g. {@code cannot write checkpoint}) on
   * {@code path}: a {@link StorageException} when retrying cannot help, otherwise an
   * {@link UncheckedIOException} with the same message.
   */
  public static RuntimeException classify(String what, Path path, Throwable e) {
    String message = what + " " + path + ": " + reason(e);
    if (isPermanent(e)) {
      return new StorageException(message + " (free space or fix the location's permissions, then resume)", path, e);
    }
    return e instanceof IOException io ? new UncheckedIOException(message, io) : new RuntimeException(message, e);
  }

  /** Whether {@code e} or one of its causes is a write failure no retry fixes. */
  public static boolean isPermanent(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StorageException || t instanceof AccessDeniedException
          || t instanceof ReadOnlyFileSystemException
          || t instanceof NotDirectoryException || t instanceof FileAlreadyExistsException) {
        return true;
      }
      String text = (t instanceof FileSystemException fs ? fs.getReason() + " " + fs.getMessage() : t.getMessage());
      if (text != null) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (PERMANENT_REASONS.stream().anyMatch(lower::contains)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The innermost useful text: the OS's reason, with the path Java knew when it knew one. */
  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && t instanceof UncheckedIOException) {
      t = t.getCause();
    }
    if (t instanceof FileAlreadyExistsException fa) {
      return fa.getFile() + " exists and is not a directory";
    }
    if (t instanceof ReadOnlyFileSystemException) {
      return "read-only file system";
    }
    if (t instanceof FileSystemException fs && fs.getReason() != null) {
      return (fs.getFile() != null ? fs.getFile() + ": " : "") + fs.getReason();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}
