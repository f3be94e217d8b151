package dev.lossbench.workers.study;

import static dev.lossbench.workers.format.Figures.fixed;
import static dev.lossbench.workers.format.Figures.p;
import static dev.lossbench.workers.format.Figures.signed;

import dev.lossbench.workers.format.Figures;
import dev.lossbench.workers.study.SeedStatistics.Paired;
import dev.lossbench.workers.study.SeedStatistics.Summary;

/**
 * The study's composite cells in text (the verdicts, the command's tables, the report): means with their 95 %
 * interval in brackets, paired tests; the numbers in them as {@link Figures} writes them (callers use it directly).
 */
public final class StudyFigures {
  private StudyFigures() {}

  /** {@code 335.0 [322.6, 347.4]}; {@code 335.0 (1 seed)}; {@code –} without values. */
  public static String summary(Summary s, int decimals) {
    if (s == null || s.n() == 0) {
      return "–";
    }
    if (s.ciLow() == null) {
      return fixed(s.mean(), decimals) + " (1 seed)";
    }
    return fixed(s.mean(), decimals) + " [" + fixed(s.ciLow(), decimals) + ", " + fixed(s.ciHigh(), decimals) + "]";
  }

  /**
   * {@code +14.7 [10.9, 18.5], sign-flip p = 0.0625 (t-test p = 0.0036, for reference), n = 5}: the mean
   * difference, the interval of the deciding test, its p, the t-test's p beside it and the number of paired seeds.
   */
  public static String paired(Paired d, int decimals, double alpha) {
    return paired(d, decimals, alpha, d == null ? null : d.p(), 1);
  }

  /**
   * As {@link #paired(Paired, int, double)}, significance judged on {@code adjusted}, the p-value
   * after Holm's correction over {@code family} p-values (shown beside the raw one when family &gt; 1).
   */
  public static String paired(Paired d, int decimals, double alpha, Double adjusted, int family) {
    if (d == null) {
      return "–";
    }
    if (d.n() == 0) {
      return "no paired seeds";
    }
    if (d.n() == 1) {
      return signed(d.meanDifference(), decimals) + ", n = 1: no interval or test";
    }
    boolean significant = adjusted != null && adjusted < alpha;
    String shown = family > 1 && adjusted != null ? ", Holm-adjusted p = " + p(adjusted) : "";
    return signed(d.meanDifference(), decimals) + " " + interval(d, decimals) + ", sign-flip p = " + p(d.p())
        + (d.tP() == null ? "" : " (t-test p = " + p(d.tP()) + ", for reference)") + shown
        + (significant ? " < " : " ≥ ") + fixed(alpha, 2) + ", n = " + d.n();
  }

  /** {@code [10.9, 18.5]}; {@code [unbounded]} where the sign-flip test cannot exclude any value (n ≤ 5 at α = 0.05). */
  static String interval(Paired d, int decimals) {
    return d.ciLow() == null || d.ciHigh() == null
        ? "[unbounded]"
        : "[" + fixed(d.ciLow(), decimals) + ", " + fixed(d.ciHigh(), decimals) + "]";
  }

  /** Compact for table cells: {@code +14.7 [10.9, 18.5] p=0.0036*} (* significant, sign-flip p), {@code +3.0 n=1}. */
  public static String pairedCell(Paired d, int decimals, double alpha) {
    if (d == null) {
      return "–";
    }
    if (d.n() == 0) {
      return "no pairs";
    }
    if (d.n() == 1) {
      return signed(d.meanDifference(), decimals) + " n=1";
    }
    return signed(d.meanDifference(), decimals) + " " + interval(d, decimals) + " p=" + p(d.p())
        + (d.significant(alpha) ? "*" : "");
  }
}
