package dev.lossbench.schema.record;

/** Argument checks for the records and the repositories, with messages naming the field. */
public final class Require {
  private Require() {}

  public static String text(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          field + " must be a non-empty text, got " + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }

  public static <T> T present(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    return value;
  }

  public static double percentage(double value, String field) {
    if (!(value >= 0 && value <= 100)) {
      throw new IllegalArgumentException(field + " must be a percentage in [0, 100], got " + value);
    }
    return value;
  }

  public static double rank(double value, String field) {
    if (!(value >= 1)) {
      throw new IllegalArgumentException(field + " must be a 1-based rank (>= 1), got " + value);
    }
    return value;
  }

  public static double nonNegative(double value, String field) {
    if (!(value >= 0)) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
    return value;
  }

  public static int nonNegative(int value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
    return value;
  }
}
