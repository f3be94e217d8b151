package dev.lossbench.retrieval.params;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One key a spec (loss, model, training settings) accepts: its type, default, allowed range and
 * meaning. Parses values given as text ({@code key=value} strings) or as YAML/JSON scalars.
 */
public record Param(String key, Kind kind, Object defaultValue, double min, boolean minExclusive, double max,
    List<String> choices, String doc) {

  public enum Kind {
    NUMBER, INTEGER, BOOLEAN, CHOICE, TEXT
  }

  public static Param number(String key, double def, double min, boolean minExclusive, String doc) {
    return new Param(key, Kind.NUMBER, def, min, minExclusive, Double.POSITIVE_INFINITY, List.of(), doc);
  }

  /** A number in {@code [min, max]} (or {@code (min, max]} when {@code minExclusive}). */
  public static Param number(String key, double def, double min, boolean minExclusive, double max, String doc) {
    return new Param(key, Kind.NUMBER, def, min, minExclusive, max, List.of(), doc);
  }

  public static Param integer(String key, int def, int min, String doc) {
    return new Param(key, Kind.INTEGER, def, min, false, Integer.MAX_VALUE, List.of(), doc);
  }

  public static Param bool(String key, boolean def, String doc) {
    return new Param(key, Kind.BOOLEAN, def, 0, false, 0, List.of(), doc);
  }

  public static Param choice(String key, String def, List<String> choices, String doc) {
    return new Param(key, Kind.CHOICE, def, 0, false, 0, choices, doc);
  }

  /**
   * Free text such as a file path or space-separated names. It may not hold {@code ,} or {@code =},
   * which separate a spec's {@code key=value} pairs (the canonical form is parsed back).
   */
  public static Param text(String key, String def, String doc) {
    return new Param(key, Kind.TEXT, def, 0, false, 0, List.of(), doc);
  }

  /** The allowed values in words, for error messages and --help. */
  public String allowed() {
    return switch (kind) {
      case NUMBER -> "a number " + (minExclusive ? "> " : ">= ") + format(min)
          + (Double.isInfinite(max) ? "" : " and <= " + format(max));
      case INTEGER -> "an integer >= " + format(min);
      case BOOLEAN -> "true or false";
      case CHOICE -> String.join(" or ", choices);
      case TEXT -> "text without ',' or '='";
    };
  }

  /** Parses and range-checks a value; {@code owner} names the spec in the error message. */
  public Object parse(String owner, Object raw) {
    String text = String.valueOf(raw).trim();
    switch (kind) {
      case NUMBER -> {
        double v;
        if (raw instanceof Number n) {
          v = n.doubleValue();
        } else {
          try {
            v = Double.parseDouble(text);
          } catch (NumberFormatException e) {
            throw rejected(owner, text);
          }
        }
        if (!Double.isFinite(v) || v < min || (minExclusive && v == min) || v > max) {
          throw rejected(owner, text);
        }
        return v;
      }
      case INTEGER -> {
        try {
          BigDecimal d = raw instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(text);
          int v = d.intValueExact();
          if (v < min) {
            throw rejected(owner, text);
          }
          return v;
        } catch (NumberFormatException | ArithmeticException e) {
          throw rejected(owner, text);
        }
      }
      case BOOLEAN -> {
        if (raw instanceof Boolean b) {
          return b;
        }
        String t = text.toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
          return Boolean.parseBoolean(t);
        }
        throw rejected(owner, text);
      }
      case CHOICE -> {
        String t = text.toLowerCase(Locale.ROOT);
        if (choices.contains(t)) {
          return t;
        }
        throw rejected(owner, text);
      }
      case TEXT -> {
        if (raw instanceof Collection<?> || raw instanceof Map<?, ?> || text.contains(",") || text.contains("=")) {
          throw rejected(owner, text);
        }
        return text;
      }
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  private SpecException rejected(String owner, String text) {
    return new SpecException(owner + ": " + key + "=" + text + " is not allowed: expected " + allowed());
  }

  /** Shortest exact decimal form: 50.0 → "50", 0.2 → "0.2". */
  public static String format(Object value) {
    if (value instanceof Double d) {
      return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
    return String.valueOf(value);
  }
}
