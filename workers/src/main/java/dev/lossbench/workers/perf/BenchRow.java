package dev.lossbench.workers.perf;

import java.util.Locale;

/**
 * One line of the bench's summary: a measurement's name, the measured figure, its goal, and
 * {@code ok} or {@code MISS} as the last word.
 *
 * @param value the measured ratio (or share, as a fraction), NaN when not measured
 * @param shown how the figure is printed, e.g. {@code 1.13x} or {@code 62%}
 * @param goal the goal as printed, e.g. {@code <= 1.20x}
 */
public record BenchRow(String name, double value, String shown, String goal, boolean ok) {

  public static BenchRow atMost(String name, double ratio, double goal) {
    return new BenchRow(name, ratio, times(ratio), "<= " + times(goal), ratio <= goal);
  }

  public static BenchRow atLeast(String name, double ratio, double goal) {
    return new BenchRow(name, ratio, times(ratio), ">= " + times(goal), ratio >= goal);
  }

  public static BenchRow shareAtLeast(String name, double share, double goal) {
    return new BenchRow(name, share, percent(share), ">= " + percent(goal), share >= goal);
  }

  public static BenchRow shareAtMost(String name, double share, double goal) {
    return new BenchRow(name, share, percent(share), "<= " + percent(goal), share <= goal);
  }

  public BenchRow withNote(String note, boolean alsoOk) {
    return new BenchRow(name, value, shown + " " + note, goal, ok && alsoOk);
  }

  public String verdict() {
    return ok ? "ok" : "MISS";
  }

  public String format() {
    return String.format(Locale.ROOT, "%-14s %-34s goal %-22s %s", name, shown, goal, verdict());
  }

  static String times(double r) {
    return String.format(Locale.ROOT, "%.2fx", r);
  }

  static String percent(double f) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * f);
  }
}
