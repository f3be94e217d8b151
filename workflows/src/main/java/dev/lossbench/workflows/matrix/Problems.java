package dev.lossbench.workflows.matrix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The mistakes found so far in one matrix file; thrown together at the end. */
final class Problems {
  private final String source;
  private final List<MatrixProblem> found = new ArrayList<>();

  Problems(String source) {
    this.source = source;
  }

  /** A mistake in {@code value}, reported at its position and field. */
  void at(YamlValue value, String message) {
    at(value, value.field(), message);
  }

  /** A mistake in the key of {@code value} (an unknown key), reported at the key's position. */
  void atKey(YamlValue value, String message) {
    at(value.key(), value.field(), message);
  }

  /** A mistake at a position whose field is not the node's own (a missing key of a mapping). */
  void at(YamlValue position, String field, String message) {
    at(position.line(), position.column(), field, message);
  }

  /** A mistake with a position but no node (a YAML syntax error). */
  void at(int line, int column, String field, String message) {
    found.add(new MatrixProblem(source, line, column, field.isEmpty() ? "(matrix)" : field, message));
  }

  /** A mistake in the file as a whole (cannot be read). */
  void inFile(String message) {
    found.add(new MatrixProblem(source, 0, 0, "(file)", message));
  }

  /** An integer in [min, max]; {@code min} (reported) otherwise. */
  int integer(YamlValue value, int min, int max, String expected) {
    if (value.isScalar()) {
      try {
        long v = Long.parseLong(value.text().trim());
        if (v >= min && v <= max) {
          return (int) v;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    at(value, "got " + value.describe() + ": expected " + expected);
    return min;
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  int count() {
    return found.size();
  }

  /** Every mistake found, sorted by position, as one exception; there must be at least one. */
  MatrixException exception() {
    List<MatrixProblem> sorted = new ArrayList<>(found);
    sorted.sort(Comparator.comparingInt(MatrixProblem::line).thenComparingInt(MatrixProblem::column));
    return new MatrixException(sorted);
  }

  /** Throws every mistake found, if there is any. */
  void throwIfAny() {
    if (!found.isEmpty()) {
      throw exception();
    }
  }
}
