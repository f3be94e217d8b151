package dev.lossbench.workers.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The one place that decides how lossbench writes numbers, durations and times — in the report, the
 * study, the leaderboard: one decimal for recalls and rSums (as the field's tables do), p-values to
 * three significant digits, a fixed locale and UTC so that the same data always gives the same bytes,
 * and never a negative zero.
 */
public final class Figures {
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter
      .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Figures() {}

  public static String fixed(double value, int decimals) {
    String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
    // -0.0 and values that round to zero print as "-0.0"; a table should not show a negative zero
    return text.matches("-0(\\.0*)?") ? text.substring(1) : text;
  }

  /** A recall or rSum: {@code 58.1}. */
  public static String recall(double value) {
    return fixed(value, 1);
  }

  /** {@code 415.0 ± 6.2}; just the mean when there is no standard deviation (one seed). */
  public static String meanStd(double mean, Double std) {
    return std == null ? recall(mean) : recall(mean) + " ± " + recall(std);
  }

  /** {@code value} with its sign when positive and not shown as zero: {@code +14.7}, {@code -3.0}, {@code 0.0}. */
  public static String signed(double value, int decimals) {
    String text = fixed(value, decimals);
    return value > 0 && !text.matches("0(\\.0*)?") ? "+" + text : text;
  }

  /** {@code 0.9} → {@code 90%}. */
  public static String percent(double share) {
    return fixed(share * 100, share * 100 == Math.rint(share * 100) ? 0 : 1) + "%";
  }

  /** A p-value: {@code 0.0261}, {@code 0.000123}, {@code <1e-6}. */
  public static String p(double p) {
    if (p == 0) {
      return "0";
    }
    if (p < 1e-6) {
      return "<1e-6";
    }
    return new BigDecimal(p).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }

  /** A difference with its sign: {@code +23.0}, {@code −4.5} (a typographic minus), {@code 0.0}. */
  public static String signed(double delta) {
    String magnitude = recall(Math.abs(delta));
    if (magnitude.equals(recall(0))) {
      return magnitude;
    }
    return (delta > 0 ? "+" : "\u2212") + magnitude;
  }

  /**
   * A difference with its interval: {@code +10.3 [+8.1, +12.5]}; a null end is unbounded ({@code −∞}, {@code +∞});
   * {@code –} without a difference.
   */
  public static String signedInterval(Double delta, Double low, Double high) {
    if (delta == null) {
      return "\u2013";
    }
    return signed(delta) + " [" + (low == null ? "\u2212\u221e" : signed(low)) + ", "
        + (high == null ? "+\u221e" : signed(high)) + "]";
  }

  /** A share with its interval, two decimals: {@code 0.75 [0.30, 0.95]}; {@code –} without one. */
  public static String shareInterval(Double share, Double low, Double high) {
    if (share == null) {
      return "\u2013";
    }
    return fixed(share, 2) + (low == null || high == null ? "" : " [" + fixed(low, 2) + ", " + fixed(high, 2) + "]");
  }

  /** {@code 42 s}, {@code 3 min 05 s}, {@code 2 h 07 min}. */
  public static String duration(Duration d) {
    long seconds = Math.max(0, d.toSeconds());
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
  }

  public static String timestamp(Instant instant) {
    return TIMESTAMP.format(instant);
  }
}
