package dev.lossbench.retrieval.npy;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyArrayTest {
  @TempDir
  Path dir;

  @Test
  void roundTripsEveryDtype() {
    Path f = dir.resolve("f.npy");
    NpyWriter.writeFloats(f, new float[]{1.5f, -2f, 3f, 4f, 5f, 6f}, 2, 3);
    NpyArray a = NpyArray.open(f);
    assertEquals(NpyDType.FLOAT32, a.dtype());
    assertArrayEquals(new long[]{2, 3}, a.shape());
    assertEquals(3, a.rowSize());
    assertArrayEquals(new float[]{1.5f, -2f, 3f, 4f, 5f, 6f}, a.toFloatArray());

    Path d = dir.resolve("d.npy");
    NpyWriter.writeDoubles(d, new double[]{0.1, 0.2, 0.3}, 3);
    assertArrayEquals(new double[]{0.1, 0.2, 0.3}, NpyArray.open(d).toDoubleArray());

    Path l = dir.resolve("l.npy");
    NpyWriter.writeLongs(l, new long[]{5, 1L << 40, -3}, 3);
    assertArrayEquals(new long[]{5, 1L << 40, -3}, NpyArray.open(l).toLongArray());
  }

  @Test
  void readsAcrossSegmentBoundariesAsLargeFilesDo() {
    float[] values = new float[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.5f;
    }
    Path f = dir.resolve("big.npy");
    NpyWriter.writeFloats(f, values, 100, 10);
    NpyArray a = NpyArray.open(f, 64); // 16 floats per segment: every row crosses a boundary
    float[] row = new float[10];
    for (int r = 0; r < 100; r++) {
      a.readFloats(r * 10L, row, 0, 10);
      for (int c = 0; c < 10; c++) {
        assertEquals(values[r * 10 + c], row[c]);
      }
    }
    assertNull(a.bytes(10, 10), "a range over a boundary has no single view");
    assertEquals(40, a.bytes(16, 10).remaining());
  }

  @Test
  void readsFormatVersion2Headers() throws IOException {
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
    String h = dict + " ".repeat(64 - (12 + dict.length() + 1) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(12 + h.length() + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(h.length())
        .put(h.getBytes(StandardCharsets.ISO_8859_1));
    b.putDouble(7.0).putDouble(-1.0);
    Path f = dir.resolve("v2.npy");
    Files.write(f, b.array());
    assertArrayEquals(new double[]{7.0, -1.0}, NpyArray.open(f).toDoubleArray());
  }

  @Test
  void malformedFilesAreClearErrorsNamingTheFile() throws IOException {
    Path missing = dir.resolve("missing.npy");
    assertMessage(missing + ": file not found", missing);

    Path text = dir.resolve("text.npy");
    Files.writeString(text, "hello, world");
    assertMessage(text + ": not a .npy file", text);

    Path good = dir.resolve("good.npy");
    NpyWriter.writeFloats(good, new float[12], 3, 4);
    byte[] all = Files.readAllBytes(good);
    Path truncated = dir.resolve("truncated.npy");
    Files.write(truncated, java.util.Arrays.copyOf(all, all.length - 8));
    assertMessage(truncated + ": truncated: shape [3, 4] of <f4 needs 48 data bytes, the file has 40", truncated);

    Path bigEndian = dir.resolve("be.npy");
    Files.write(bigEndian,
        new String(all, StandardCharsets.ISO_8859_1).replace("<f4", ">f4").getBytes(StandardCharsets.ISO_8859_1));
    assertMessage(bigEndian + ": dtype '>f4' is not supported", bigEndian);

    Path fortran = dir.resolve("fortran.npy");
    Files.write(fortran,
        new String(all, StandardCharsets.ISO_8859_1).replace("False", "True ").getBytes(StandardCharsets.ISO_8859_1));
    assertMessage(fortran + ": stored in Fortran order", fortran);

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> NpyArray.open(good).requireDims(3, "N × R × D regions"));
    assertEquals(good + ": expected 3 dimensions (N × R × D regions), got shape [3, 4]", e.getMessage());
  }

  @Test
  void forgedShapesAreRefusedWithExactArithmetic() throws IOException {
    Path huge = withShape("(576460752303423488, 4)");
    assertMessage(huge + ": shape [576460752303423488, 4] of <f4 needs more than 2^63 bytes", huge);
    Path negative = withShape("(-2, 4)");
    assertMessage(negative + ": bad shape '(-2, 4)': dimension -2 is negative", negative);
    Path twoNegatives = withShape("(-2, -4)");
    assertMessage(twoNegatives + ": bad shape '(-2, -4)': dimension -2 is negative", twoNegatives);
    Path empty = withShape("(0, 4)");
    assertEquals(0, NpyArray.open(empty).size(), "a zero dimension is a valid, empty array");
  }

  /** A .npy file of 16 data bytes whose header claims {@code shape}. */
  private Path withShape(String shape) throws IOException {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    String h = dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + h.length() + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length())
        .put(h.getBytes(StandardCharsets.ISO_8859_1));
    Path f = dir.resolve("shape" + shape.hashCode() + ".npy");
    Files.write(f, b.array());
    return f;
  }

  private static void assertMessage(String prefix, Path p) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpyArray.open(p));
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
  }
}
