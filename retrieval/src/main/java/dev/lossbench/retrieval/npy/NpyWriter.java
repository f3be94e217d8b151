package dev.lossbench.retrieval.npy;

import dev.lossbench.retrieval.io.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes {@code .npy} (format 1.0, little-endian, C order). Rows are streamed so large feature
 * files never sit in the heap; the file appears under its name only when complete (temp + rename).
 */
public final class NpyWriter implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private final OutputStream out;
  private final NpyDType dtype;
  private final long expected;
  private long written;
  private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

  private NpyWriter(Path target, NpyDType dtype, long[] shape) throws IOException {
    this.target = target;
    this.dtype = dtype;
    this.expected = Arrays.stream(shape).reduce(1L, Math::multiplyExact);
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // not Files.createTempFile: its 0600 mode would make the file unreadable to other workers
    this.temp = AtomicFiles.temporarySibling(target);
    this.out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW), 1 << 16);
    out.write(header(dtype, shape));
  }

  public static NpyWriter create(Path target, NpyDType dtype, long... shape) {
    try {
      return new NpyWriter(target, dtype, shape);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** Writes a whole float32 array in one call. */
  public static void writeFloats(Path target, float[] data, long... shape) {
    try (NpyWriter w = create(target, NpyDType.FLOAT32, shape)) {
      w.write(data, 0, data.length);
    }
  }

  /** Writes a whole float64 array in one call. */
  public static void writeDoubles(Path target, double[] data, long... shape) {
    try (NpyWriter w = create(target, NpyDType.FLOAT64, shape)) {
      w.write(data);
    }
  }

  /** Writes a whole int64 array in one call. */
  public static void writeLongs(Path target, long[] data, long... shape) {
    try (NpyWriter w = create(target, NpyDType.INT64, shape)) {
      w.write(data);
    }
  }

  static byte[] header(NpyDType dtype, long[] shape) {
    String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    if (shape.length == 1) {
      dims += ",";
    }
    String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    int unpadded = 10 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String h = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + h.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) h.length());
    b.put(h.getBytes(StandardCharsets.ISO_8859_1));
    return b.array();
  }

  public void write(float[] values, int offset, int count) {
    for (int i = 0; i < count; i++) {
      ensure(8);
      if (dtype == NpyDType.FLOAT64) {
        buf.putDouble(values[offset + i]);
      } else if (dtype == NpyDType.FLOAT32) {
        buf.putFloat(values[offset + i]);
      } else {
        throw new IllegalStateException("float data for a " + dtype + " file");
      }
    }
    written += count;
  }

  public void write(double[] values) {
    for (double v : values) {
      ensure(8);
      if (dtype == NpyDType.FLOAT64) {
        buf.putDouble(v);
      } else {
        buf.putFloat((float) v);
      }
    }
    written += values.length;
  }

  public void write(long[] values) {
    for (long v : values) {
      ensure(8);
      switch (dtype) {
        case INT64 -> buf.putLong(v);
        case INT32 -> buf.putInt(Math.toIntExact(v));
        default -> throw new IllegalStateException("integer data for a " + dtype + " file");
      }
    }
    written += values.length;
  }

  private void ensure(int bytes) {
    if (buf.remaining() < bytes) {
      flushBuffer();
    }
  }

  private void flushBuffer() {
    try {
      out.write(buf.array(), 0, buf.position());
      buf.clear();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  @Override
  public void close() {
    try {
      flushBuffer();
      out.close();
      if (written != expected) {
        Files.deleteIfExists(temp);
        throw new IllegalStateException(target + ": wrote " + written + " elements, the shape needs " + expected);
      }
      AtomicFiles.replace(temp, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
