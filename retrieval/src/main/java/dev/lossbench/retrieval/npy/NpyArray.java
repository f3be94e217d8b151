package dev.lossbench.retrieval.npy;

import dev.lossbench.retrieval.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A read-only, memory-mapped {@code .npy} array (format versions 1–3, little-endian, C order).
 *
 * <p>The data is mapped in segments of at most 1 GiB, so files larger than 2 GiB work and nothing
 * is copied into the heap until a caller asks for a slice. Segment sizes are multiples of 8 bytes
 * from the data start, so no element straddles two segments.
 */
public final class NpyArray {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final long SEGMENT_BYTES = 1L << 30;

  private final long segmentBytes;
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private final Path path;
  private final NpyDType dtype;
  private final long[] shape;
  private final long size;
  private final MappedByteBuffer[] segments;

  private NpyArray(Path path, NpyDType dtype, long[] shape, MappedByteBuffer[] segments, long segmentBytes) {
    this.segmentBytes = segmentBytes;
    this.path = path;
    this.dtype = dtype;
    this.shape = shape;
    this.size = Arrays.stream(shape).reduce(1L, Math::multiplyExact);
    this.segments = segments;
  }

  /**
   * Maps {@code path}; every problem (missing file, bad magic or header, unsupported dtype,
   * Fortran order, truncated data) is an {@link InvalidInputException} naming the file.
   */
  public static NpyArray open(Path path) {
    return open(path, SEGMENT_BYTES);
  }

  /** With a chosen segment size (a multiple of 8), so tests can cross segment boundaries on small files. */
  static NpyArray open(Path path, long segmentBytes) {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(pre, 0);
      pre.flip();
      if (pre.remaining() < 10 || !startsWithMagic(pre)) {
        throw bad(path, "not a .npy file (the magic string \\x93NUMPY is missing)");
      }
      int major = pre.get(6) & 0xff;
      long headerLen;
      int headerStart;
      if (major == 1) {
        headerLen = pre.getShort(8) & 0xffff;
        headerStart = 10;
      } else if (major == 2 || major == 3) {
        if (pre.remaining() < 12) {
          throw bad(path, "truncated header");
        }
        headerLen = pre.getInt(8) & 0xffffffffL;
        headerStart = 12;
      } else {
        throw bad(path, "unsupported .npy format version " + major + " (expected 1, 2 or 3)");
      }
      if (headerStart + headerLen > fileSize) {
        throw bad(path, "truncated header: it claims " + headerLen + " bytes, the file has " + fileSize);
      }
      ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
      ch.read(hb, headerStart);
      String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      NpyDType dtype = parseDType(path, header);
      long[] shape = parseShape(path, header);
      Matcher fm = FORTRAN.matcher(header);
      if (fm.find() && fm.group(1).equals("True")) {
        throw bad(path, "stored in Fortran order; save it in C order (numpy.ascontiguousarray)");
      }
      long dataStart = headerStart + headerLen;
      long dataBytes = dataBytes(path, shape, dtype);
      if (dataBytes > fileSize - dataStart) {
        throw bad(path, "truncated: shape " + Arrays.toString(shape) + " of " + dtype.descr() + " needs "
            + dataBytes + " data bytes, the file has " + (fileSize - dataStart));
      }
      int n = (int) ((dataBytes + segmentBytes - 1) / segmentBytes);
      MappedByteBuffer[] segs = new MappedByteBuffer[Math.max(n, 1)];
      for (int s = 0; s < n; s++) {
        long off = s * segmentBytes;
        long len = Math.min(segmentBytes, dataBytes - off);
        segs[s] = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + off, len);
        segs[s].order(ByteOrder.LITTLE_ENDIAN);
      }
      if (n == 0) {
        segs[0] = ch.map(FileChannel.MapMode.READ_ONLY, dataStart, 0);
      }
      return new NpyArray(path, dtype, shape, segs, segmentBytes);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(path + ": file not found");
    } catch (IOException e) {
      throw new InvalidInputException(path + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private static boolean startsWithMagic(ByteBuffer b) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.get(i) != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  private static NpyDType parseDType(Path path, String header) {
    Matcher m = DESCR.matcher(header);
    if (!m.find()) {
      throw bad(path, "header has no 'descr' field: " + header.trim());
    }
    NpyDType t = NpyDType.fromDescr(m.group(1));
    if (t == null) {
      throw bad(path, "dtype '" + m.group(1) + "' is not supported (expected little-endian <f4, <f8, <i4 or <i8)");
    }
    return t;
  }

  // exact arithmetic: a forged shape such as (576460752303423488, 4) must not wrap round to a small or negative size
  private static long dataBytes(Path path, long[] shape, NpyDType dtype) {
    long bytes = dtype.bytes();
    try {
      for (long dim : shape) {
        bytes = Math.multiplyExact(bytes, dim);
      }
      return bytes;
    } catch (ArithmeticException e) {
      throw bad(path, "shape " + Arrays.toString(shape) + " of " + dtype.descr()
          + " needs more than 2^63 bytes: expected the shape the data was saved with");
    }
  }

  private static long[] parseShape(Path path, String header) {
    Matcher m = SHAPE.matcher(header);
    if (!m.find()) {
      throw bad(path, "header has no 'shape' field: " + header.trim());
    }
    String body = m.group(1).trim();
    if (body.isEmpty()) {
      return new long[0];
    }
    String[] parts = body.split(",");
    int dims = 0;
    long[] shape = new long[parts.length];
    for (String p : parts) {
      String t = p.trim();
      if (t.isEmpty()) {
        continue;
      }
      try {
        shape[dims++] = Long.parseLong(t.replace("L", ""));
      } catch (NumberFormatException e) {
        throw bad(path, "bad shape '(" + body + ")'");
      }
      if (shape[dims - 1] < 0) {
        // the format has no negative dimensions (zero is a valid, empty axis)
        throw bad(path,
            "bad shape '(" + body + ")': dimension " + shape[dims - 1] + " is negative, expected 0 or more");
      }
    }
    return Arrays.copyOf(shape, dims);
  }

  private static InvalidInputException bad(Path path, String what) {
    return new InvalidInputException(path + ": " + what);
  }

  public Path path() {
    return path;
  }

  public NpyDType dtype() {
    return dtype;
  }

  public long[] shape() {
    return shape.clone();
  }

  public int ndim() {
    return shape.length;
  }

  public long dim(int axis) {
    return shape[axis];
  }

  /** Number of elements. */
  public long size() {
    return size;
  }

  /** Elements in one entry along the first axis (the product of the trailing dimensions). */
  public long rowSize() {
    long r = 1;
    for (int i = 1; i < shape.length; i++) {
      r *= shape[i];
    }
    return r;
  }

  /**
   * Throws an {@link InvalidInputException} naming the file unless the array has {@code ndim}
   * dimensions; {@code what} describes the expectation (e.g. "images × captions similarities").
   */
  public NpyArray requireDims(int ndim, String what) {
    if (shape.length != ndim) {
      throw bad(path, "expected " + ndim + " dimensions (" + what + "), got shape " + Arrays.toString(shape));
    }
    return this;
  }

  /** Throws unless the elements are floating point. */
  public NpyArray requireFloating() {
    if (!dtype.isFloating()) {
      throw bad(path, "expected float32 or float64 data, got " + dtype.descr());
    }
    return this;
  }

  /** Copies {@code count} elements starting at flat index {@code from} into {@code dst} as floats. */
  public void readFloats(long from, float[] dst, int dstOffset, int count) {
    checkRange(from, count);
    int bytes = dtype.bytes();
    for (int i = 0; i < count;) {
      long byteOff = (from + i) * bytes;
      MappedByteBuffer seg = segments[(int) (byteOff / segmentBytes)];
      int pos = (int) (byteOff % segmentBytes);
      int n = Math.min(count - i, (seg.limit() - pos) / bytes);
      ByteBuffer view = seg.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(pos);
      switch (dtype) {
        case FLOAT32 -> view.asFloatBuffer().get(dst, dstOffset + i, n);
        case FLOAT64 -> {
          var db = view.asDoubleBuffer();
          for (int k = 0; k < n; k++) {
            dst[dstOffset + i + k] = (float) db.get(k);
          }
        }
        case INT32 -> {
          var ib = view.asIntBuffer();
          for (int k = 0; k < n; k++) {
            dst[dstOffset + i + k] = ib.get(k);
          }
        }
        case INT64 -> {
          var lb = view.asLongBuffer();
          for (int k = 0; k < n; k++) {
            dst[dstOffset + i + k] = lb.get(k);
          }
        }
      }
      i += n;
    }
  }

  /** Copies {@code count} elements from flat index {@code from} as doubles (exact for float64 files). */
  public void readDoubles(long from, double[] dst, int dstOffset, int count) {
    checkRange(from, count);
    if (dtype != NpyDType.FLOAT64) {
      float[] tmp = new float[count];
      readFloats(from, tmp, 0, count);
      for (int k = 0; k < count; k++) {
        dst[dstOffset + k] = tmp[k];
      }
      return;
    }
    for (int i = 0; i < count;) {
      long byteOff = (from + i) * 8;
      MappedByteBuffer seg = segments[(int) (byteOff / segmentBytes)];
      int pos = (int) (byteOff % segmentBytes);
      int n = Math.min(count - i, (seg.limit() - pos) / 8);
      seg.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(pos).asDoubleBuffer().get(dst, dstOffset + i, n);
      i += n;
    }
  }

  /**
   * The raw little-endian bytes of elements {@code [from, from + count)} as a read-only view of the
   * mapping (no copy), or null when the range crosses a 1 GiB segment boundary.
   */
  public ByteBuffer bytes(long from, long count) {
    checkRange(from, (int) Math.min(count, Integer.MAX_VALUE));
    long start = from * dtype.bytes();
    long end = (from + count) * dtype.bytes();
    int seg = (int) (start / segmentBytes);
    if (count > 0 && (end - 1) / segmentBytes != seg) {
      return null;
    }
    int pos = (int) (start % segmentBytes);
    return segments[seg].duplicate().position(pos).limit(pos + (int) (end - start)).slice()
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  /** All elements as floats (for small arrays only: this copies into the heap). */
  public float[] toFloatArray() {
    float[] out = new float[Math.toIntExact(size)];
    readFloats(0, out, 0, out.length);
    return out;
  }

  /** All elements as doubles (for small arrays only). */
  public double[] toDoubleArray() {
    double[] out = new double[Math.toIntExact(size)];
    readDoubles(0, out, 0, out.length);
    return out;
  }

  /** One element of an integer array, exactly. */
  public long readLong(long index) {
    checkRange(index, 1);
    long byteOff = index * dtype.bytes();
    MappedByteBuffer seg = segments[(int) (byteOff / segmentBytes)];
    int pos = (int) (byteOff % segmentBytes);
    return switch (dtype) {
      case INT32 -> seg.getInt(pos);
      case INT64 -> seg.getLong(pos);
      case FLOAT32 -> (long) seg.getFloat(pos);
      case FLOAT64 -> (long) seg.getDouble(pos);
    };
  }

  /** All elements of an integer array (e.g. group ids); floats must hold whole numbers. */
  public long[] toLongArray() {
    long[] out = new long[Math.toIntExact(size)];
    if (!dtype.isFloating()) {
      for (int i = 0; i < out.length; i++) {
        out[i] = readLong(i);
      }
      return out;
    }
    double[] values = toDoubleArray();
    for (int i = 0; i < out.length; i++) {
      if (values[i] != Math.rint(values[i])) {
        throw bad(path, "expected integer ids, found " + values[i] + " at index " + i);
      }
      out[i] = (long) values[i];
    }
    return out;
  }

  private void checkRange(long from, int count) {
    if (from < 0 || count < 0 || from + count > size) {
      throw new IndexOutOfBoundsException("elements [" + from + ", " + (from + count) + ") of " + size + " in " + path);
    }
  }
}
