package dev.lossbench.retrieval.data;

import dev.lossbench.retrieval.npy.NpyDType;
import dev.lossbench.retrieval.npy.NpyWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes tiny dataset files for tests. */
final class Fixtures {
  private Fixtures() {}

  static Path lines(Path file, List<String> lines) {
    return text(file, String.join("\n", lines) + "\n");
  }

  static Path text(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A float32 array whose element at flat index k is {@code base + k}. */
  static float[] ramp(int n, float base) {
    float[] a = new float[n];
    for (int k = 0; k < n; k++) {
      a[k] = base + k;
    }
    return a;
  }

  static Path floats(Path file, float[] data, long... shape) {
    NpyWriter.writeFloats(file, data, shape);
    return file;
  }

  static Path ints(Path file, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    try (NpyWriter w = NpyWriter.create(file, NpyDType.INT32, shape)) {
      w.write(new long[(int) n]);
    }
    return file;
  }
}
