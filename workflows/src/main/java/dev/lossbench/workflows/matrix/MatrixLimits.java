package dev.lossbench.workflows.matrix;

import java.util.List;
import java.util.Map;

/**
 * How big a matrix may be, checked before the work grows with it: the file's size before the YAML
 * parser sees it (a 50 MB file would hold the parser for minutes; read through the limit, so a device
 * such as /dev/zero is refused too), and the number of cells before any list of seeds, sweep variants
 * or cells is built ({@code seeds: 1e9} or two 2,000-value sweeps would fill the heap). Both are one-line
 * matrix errors naming the limit and how to raise it.
 *
 * @param maxBytes largest matrix file, in bytes ({@value #BYTES_VARIABLE}, default 1 MiB)
 * @param maxCells most runs one matrix may expand to ({@value #CELLS_VARIABLE}, default 10,000)
 */
public record MatrixLimits(long maxBytes, long maxCells) {
  public static final String BYTES_VARIABLE = "LOSSBENCH_MAX_MATRIX_BYTES";
  public static final String CELLS_VARIABLE = "LOSSBENCH_MAX_CELLS";
  public static final MatrixLimits DEFAULT = new MatrixLimits(1L << 20, 10_000);

  public MatrixLimits {
    if (maxBytes < 1 || maxCells < 1) {
      throw new IllegalArgumentException(
          "matrix limits must be positive, got " + maxBytes + " bytes, " + maxCells + " cells");
    }
  }

  /** The defaults, overridden by the variables above when set (a bad value is a configuration error naming it). */
  public static MatrixLimits from(Map<String, String> environment) {
    return new MatrixLimits(positive(environment, BYTES_VARIABLE, DEFAULT.maxBytes),
        positive(environment, CELLS_VARIABLE, DEFAULT.maxCells));
  }

  private static long positive(Map<String, String> environment, String name, long fallback) {
    String text = environment.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.strip());
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new MatrixException(List.of(new MatrixProblem(name, 0, 0, "(environment)",
        "is '" + text + "': expected a positive whole number")));
  }

  String tooLarge(long bytes) {
    return "is " + bytes + " bytes: expected a matrix file of at most " + maxBytes + " bytes (raise " + BYTES_VARIABLE
        + " if it really is that large)";
  }

  String tooLargeStream() {
    return "is more than " + maxBytes + " bytes: expected a matrix file of at most " + maxBytes + " bytes (raise "
        + BYTES_VARIABLE + " if it really is that large)";
  }

  /** a × b, or Long.MAX_VALUE where it overflows (a count that large is over any limit). */
  static long saturatedProduct(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** a + b, or Long.MAX_VALUE where it overflows. */
  static long saturatedSum(long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  String tooManyCells(long cells) {
    return "expands to " + cells + " runs: expected at most " + maxCells + " (raise " + CELLS_VARIABLE
        + " to run a larger matrix)";
  }
}
