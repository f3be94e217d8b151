package dev.lossbench.retrieval.loss;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/** One key a loss spec accepts: its type, default, allowed range and meaning. */
record LossParam(String key, Kind kind, Object defaultValue, double min, boolean minExclusive, List<String> choices, String doc) {

  enum Kind { NUMBER, INTEGER, BOOLEAN, CHOICE }

  static LossParam number(String key, double def, double min, boolean minExclusive, String doc) {
    return new LossParam(key, Kind.NUMBER, def, min, minExclusive, List.of(), doc);
  }

  static LossParam integer(String key, int def, int min, String doc) {
    return new LossParam(key, Kind.INTEGER, def, min, false, List.of(), doc);
  }

  static LossParam bool(String key, boolean def, String doc) {
    return new LossParam(key, Kind.BOOLEAN, def, 0, false, List.of(), doc);
  }

  static LossParam choice(String key, String def, List<String> choices, String doc) {
    return new LossParam(key, Kind.CHOICE, def, 0, false, choices, doc);
  }

  /** The allowed values in words, for error messages and --help. */
  String allowed() {
    return switch (kind) {
      case NUMBER -> "a number " + (minExclusive ? "> " : ">= ") + format(min);
      case INTEGER -> "an integer >= " + format(min);
      case BOOLEAN -> "true or false";
      case CHOICE -> String.join(" or ", choices);
    };
  }

  /** Parses and range-checks a value given as text (spec strings) or as a YAML/JSON scalar. */
  Object parse(String loss, Object raw) {
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
            throw rejected(loss, text);
          }
        }
        if (!Double.isFinite(v) || v < min || (minExclusive && v == min)) {
          throw rejected(loss, text);
        }
        return v;
      }
      case INTEGER -> {
        try {
          BigDecimal d = raw instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(text);
          int v = d.intValueExact();
          if (v < min) {
            throw rejected(loss, text);
          }
          return v;
        } catch (NumberFormatException | ArithmeticException e) {
          throw rejected(loss, text);
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
        throw rejected(loss, text);
      }
      case CHOICE -> {
        String t = text.toLowerCase(Locale.ROOT);
        if (choices.contains(t)) {
          return t;
        }
        throw rejected(loss, text);
      }
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  private LossSpecException rejected(String loss, String text) {
    return new LossSpecException(loss + ": " + key + "=" + text + " is not allowed: expected " + allowed());
  }

  /** Shortest exact decimal form: 50.0 → "50", 0.2 → "0.2". */
  static String format(Object value) {
    if (value instanceof Double d) {
      return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
    return String.valueOf(value);
  }
}
