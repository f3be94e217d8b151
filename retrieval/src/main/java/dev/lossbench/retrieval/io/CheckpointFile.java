package dev.lossbench.retrieval.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What may be known of a lossbench checkpoint without reading it: its magic bytes and its digest.
 * A matrix that names a checkpoint checks it here; the training code reads and writes the rest.
 */
public final class CheckpointFile {
  /** The first bytes of every checkpoint (format version 01). */
  public static final String MAGIC = "LBCKPT01";

  private CheckpointFile() {}

  /** {@link #MAGIC} as bytes (a fresh copy). */
  public static byte[] magicBytes() {
    return MAGIC.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The SHA-256 (hex) of {@code file}'s bytes, once it is known to be a regular file that starts
   * with {@link #MAGIC}; not a full check (the checksum is verified when the checkpoint is read).
   *
   * @throws CheckpointFileException naming what is wrong with the file
   */
  public static String check(Path file) throws CheckpointFileException {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointFileException(file, Files.exists(file) ? "is not a file" : "does not exist");
    }
    try {
      if (!startsWithMagic(file)) {
        throw new CheckpointFileException(file,
            "is not a lossbench checkpoint (its first bytes are not " + MAGIC + ")");
      }
      return Sha256.ofFile(file);
    } catch (IOException e) {
      throw new CheckpointFileException(file, "cannot be read (" + e.getMessage() + ")");
    }
  }

  private static boolean startsWithMagic(Path file) throws IOException {
    byte[] magic = magicBytes();
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(magic.length), magic);
    }
  }

  /** A file that cannot be used as a checkpoint; {@link #problem()} says why without the path. */
  public static final class CheckpointFileException extends Exception {
    private final Path file;
    private final String problem;

    CheckpointFileException(Path file, String problem) {
      super(file + " " + problem);
      this.file = file;
      this.problem = problem;
    }

    public Path file() {
      return file;
    }

    /** E.g. {@code does not exist}, {@code is not a lossbench checkpoint (…)}. */
    public String problem() {
      return problem;
    }
  }
}
