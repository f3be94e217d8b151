package dev.lossbench.retrieval.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What killed writers leave behind: {@link AtomicFiles}' {@code *.part} files and a dataset
 * preparation's temporary directories ({@code .ID.tmp-*}, {@code .ID.old-*} beside the dataset).
 * A process removes those older than itself when it starts working in a directory: nothing in
 * this process wrote them, and a writer still alive in another process keeps touching its files,
 * so an entry counts as stale only when neither it nor anything inside it changed since this
 * process started.
 */
public final class StaleTemporaries {
  private static final String PART_SUFFIX = ".part";

  private StaleTemporaries() {}

  /** When the running JVM started. */
  public static Instant processStart() {
    return Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
  }

  /** Removes {@code *.part} files directly in {@code dir} last modified before {@code before}; returns them. */
  public static List<Path> removePartFiles(Path dir, Instant before) {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return removed;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.filter(p -> p.getFileName().toString().endsWith(PART_SUFFIX)).toList()) {
        if (Files.isRegularFile(p) && newestChange(p).isBefore(before) && Files.deleteIfExists(p)) {
          removed.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return removed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean temporary files in " + dir, e);
    }
    return removed;
  }

  /**
   * Removes, directly under {@code parent}, the temporary directories of interrupted dataset
   * preparations ({@code .NAME.tmp-*}, {@code .NAME.old-*}) and {@code *.part} files, when
   * nothing in them changed after {@code before}; returns what was removed.
   */
  public static List<Path> removeTemporaryDirectories(Path parent, Instant before) {
    List<Path> removed = new ArrayList<>(removePartFiles(parent, before));
    if (!Files.isDirectory(parent)) {
      return removed;
    }
    try (Stream<Path> entries = Files.list(parent)) {
      for (Path p : entries.filter(StaleTemporaries::isTemporaryDirectoryName).toList()) {
        if (Files.isDirectory(p) && newestChange(p).isBefore(before)) {
          deleteTree(p);
          removed.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return removed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean temporary directories in " + parent, e);
    }
    return removed;
  }

  private static boolean isTemporaryDirectoryName(Path p) {
    String name = p.getFileName().toString();
    return name.startsWith(".") && (name.contains(".tmp-") || name.contains(".old-"));
  }

  /** The latest modification time of {@code p} and everything under it. */
  private static Instant newestChange(Path p) throws IOException {
    FileTime[] newest = {Files.getLastModifiedTime(p)};
    if (Files.isDirectory(p)) {
      Files.walkFileTree(p, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.lastModifiedTime().compareTo(newest[0]) > 0) {
            newest[0] = attrs.lastModifiedTime();
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (attrs.lastModifiedTime().compareTo(newest[0]) > 0) {
            newest[0] = attrs.lastModifiedTime();
          }
          return FileVisitResult.CONTINUE;
        }
      });
    }
    return newest[0].toInstant();
  }

  private static void deleteTree(Path root) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
