package dev.lossbench.schema.repository;

/** Argument checks for the records, with messages naming the field. */
final class Require {
    private Require() {}

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-empty text, got " + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    static double percentage(double value, String field) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(field + " must be a percentage in [0, 100], got " + value);
        }
        return value;
    }

    static double rank(double value, String field) {
        if (!(value >= 1)) {
            throw new IllegalArgumentException(field + " must be a 1-based rank (>= 1), got " + value);
        }
        return value;
    }

    static double nonNegative(double value, String field) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(field + " must be >= 0, got " + value);
        }
        return value;
    }

    static int nonNegative(int value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, got " + value);
        }
        return value;
    }
}
