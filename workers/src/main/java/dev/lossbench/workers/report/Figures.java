package dev.lossbench.workers.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the report writes numbers, durations and times: one decimal for recalls and rSums (as the
 * field's tables do), a fixed locale and UTC so that the same data always gives the same bytes.
 */
final class Figures {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Figures() {}

  static String fixed(double value, int decimals) {
    String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
    // -0.0 and values that round to zero print as "-0.0"; a table should not show a negative zero
    return text.matches("-0(\\.0*)?") ? text.substring(1) : text;
  }

  /** A recall or rSum: {@code 58.1}. */
  static String recall(double value) {
    return fixed(value, 1);
  }

  /** {@code 415.0 ± 6.2}; just the mean when there is no standard deviation (one seed). */
  static String meanStd(double mean, Double std) {
    return std == null ? recall(mean) : recall(mean) + " ± " + recall(std);
  }

  /** A difference with its sign: {@code +23.0}, {@code −4.5} (a typographic minus), {@code 0.0}. */
  static String signed(double delta) {
    String magnitude = recall(Math.abs(delta));
    if (magnitude.equals(recall(0))) {
      return magnitude;
    }
    return (delta > 0 ? "+" : "\u2212") + magnitude;
  }

  /** {@code 42 s}, {@code 3 min 05 s}, {@code 2 h 07 min}. */
  static String duration(Duration d) {
    long seconds = Math.max(0, d.toSeconds());
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
  }

  static String timestamp(Instant instant) {
    return TIMESTAMP.format(instant);
  }
}
