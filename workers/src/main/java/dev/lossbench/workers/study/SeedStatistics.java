package dev.lossbench.workers.study;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.TTest;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The study's statistics over seeds, all from Apache Commons Math, in this one class: a mean with its
 * 95 % Student-t confidence interval, and a paired comparison of two variants over the seeds both
 * have (paired t-test, with the Wilcoxon signed-rank test beside it for reference).
 *
 * <p>Undefined figures are {@code null}, never NaN: a confidence interval needs two values, a paired
 * test two pairs.
 */
public final class SeedStatistics {
  /** Two-sided confidence level of every interval. */
  public static final double CONFIDENCE = 0.95;

  private SeedStatistics() {}

  /**
   * Mean, sample standard deviation and 95 % CI of values over seeds.
   *
   * @param n how many values
   * @param sd sample standard deviation (n − 1); null when n &lt; 2
   * @param ciLow mean − t(0.975, n − 1)·sd/√n; null when n &lt; 2
   */
  public record Summary(int n, Double mean, Double sd, Double ciLow, Double ciHigh) {}

  /**
   * {@code a − b} over the seeds present in both.
   *
   * @param seeds the paired seeds, ascending
   * @param meanDifference mean of a − b; null without pairs
   * @param sdDifference sample standard deviation of the differences; null when n &lt; 2
   * @param ciLow 95 % CI of the mean difference (t, n − 1 degrees of freedom); null when n &lt; 2
   * @param t paired t statistic; null when n &lt; 2 or every difference is the same
   * @param df n − 1
   * @param p two-sided p of the test the verdicts use; null when n &lt; 2. Normally the paired t-test.
   *     When every difference is the same the t-test has no statistic (zero variance), and a zero
   *     variance is not evidence: p is then the exact sign-flip p, 2 / 2ⁿ (1 if they are all zero) —
   *     0.5 with 2 seeds, 0.0625 with 5 — never 0. {@code test} says which
   * @param test {@code t} (paired t-test) or {@code sign-flip} (the zero-variance rule above); null without p
   * @param signFlipP two-sided exact sign-flip permutation p (2ⁿ sign patterns of the differences), for
   *     reference; null when n &lt; 2 or n &gt; {@link #EXACT_SIGN_FLIP_MAX}
   * @param wilcoxonP two-sided exact p of the Wilcoxon signed-rank test, for reference (with 5 pairs
   *     it cannot go below 0.0625), at most 1; null when n &lt; 2 or a difference is zero
   */
  public record Paired(int n, List<Long> seeds, Double meanDifference, Double sdDifference, Double ciLow,
      Double ciHigh, Double t, Integer df, Double p, String test, Double signFlipP, Double wilcoxonP, String note) {

    /** Whether the test says the difference is significant at {@code alpha} (uncorrected). */
    public boolean significant(double alpha) {
      return p != null && p < alpha;
    }

    /**
     * TOST (two one-sided paired t-tests) p that the mean difference lies within ±{@code bound}: the
     * larger of the two one-sided p-values; below alpha means "equivalent within the bound". With zero
     * variance each one-sided test is the exact sign-flip test of the shifted differences (1 / 2ⁿ or
     * 1). Null when n &lt; 2.
     */
    public Double equivalenceP(double bound) {
      if (n < 2) {
        return null;
      }
      if (sdDifference == 0) {
        double one = 1 / Math.pow(2, n);
        double lower = meanDifference + bound > 0 ? one : 1; // H0: μ ≤ −bound
        double upper = meanDifference - bound < 0 ? one : 1; // H0: μ ≥ +bound
        return Math.max(lower, upper);
      }
      TDistribution dist = new TDistribution(null, n - 1);
      double se = sdDifference / Math.sqrt(n);
      double lower = 1 - dist.cumulativeProbability((meanDifference + bound) / se);
      double upper = dist.cumulativeProbability((meanDifference - bound) / se);
      return Math.max(lower, upper);
    }
  }

  /** Largest pair count whose sign-flip test is enumerated exactly (2ⁿ patterns). */
  public static final int EXACT_SIGN_FLIP_MAX = 20;

  /** The t quantile of the two-sided 95 % interval, t(0.975, df). */
  public static double tQuantile(int df) {
    return new TDistribution(null, df).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
  }

  public static Summary summarize(Collection<Double> values) {
    double[] x = values.stream().mapToDouble(Double::doubleValue).toArray();
    int n = x.length;
    if (n == 0) {
      return new Summary(0, null, null, null, null);
    }
    double mean = StatUtils.mean(x);
    if (n < 2) {
      return new Summary(1, mean, null, null, null);
    }
    double sd = Math.sqrt(StatUtils.variance(x, mean));
    double half = tQuantile(n - 1) * sd / Math.sqrt(n);
    return new Summary(n, mean, sd, mean - half, mean + half);
  }

  /** {@code a − b} paired by seed; seeds in only one of the maps are left out. */
  public static Paired paired(Map<Long, Double> a, Map<Long, Double> b) {
    List<Long> seeds = new ArrayList<>(new TreeSet<>(a.keySet()));
    seeds.retainAll(b.keySet());
    int n = seeds.size();
    double[] x = new double[n];
    double[] y = new double[n];
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = a.get(seeds.get(i));
      y[i] = b.get(seeds.get(i));
      d[i] = x[i] - y[i];
    }
    if (n == 0) {
      return new Paired(0, seeds, null, null, null, null, null, null, null, null, null, null, "no seed has both variants");
    }
    double mean = StatUtils.mean(d);
    if (n < 2) {
      return new Paired(1, seeds, mean, null, null, null, null, null, null, null, null, null,
          "one paired seed: no confidence interval or test");
    }
    double sd = Math.sqrt(StatUtils.variance(d, mean));
    double half = tQuantile(n - 1) * sd / Math.sqrt(n);
    Double signFlip = signFlipP(d);
    Double t;
    double p;
    String test;
    String note = null;
    if (sd == 0) {
      // no t without variance; the sign-flip test needs none and is exact (never 0)
      t = null;
      test = "sign-flip";
      p = mean == 0 ? 1.0 : Math.min(1, 2 / Math.pow(2, n));
      note = mean == 0 ? "every paired seed is equal: no difference"
          : "every paired seed differs by the same amount: zero variance, no t; exact sign-flip p = 2/2^" + n;
    } else {
      TTest ttest = new TTest();
      t = ttest.pairedT(x, y);
      p = ttest.pairedTTest(x, y);
      test = "t";
    }
    Double wilcoxon = null;
    if (Arrays.stream(d).noneMatch(v -> v == 0)) {
      // exact up to 30 pairs, as the library allows; it doubles a one-sided p, which can pass 1
      wilcoxon = Math.min(1.0, new WilcoxonSignedRankTest().wilcoxonSignedRankTest(x, y, n <= 30));
    }
    return new Paired(n, seeds, mean, sd, mean - half, mean + half, t, n - 1, p, test, signFlip, wilcoxon, note);
  }

  /**
   * Two-sided exact sign-flip permutation p of the mean of {@code d}: the share of the 2ⁿ sign
   * patterns whose |sum| is at least the observed |sum|. Null when n &lt; 2 or n &gt;
   * {@link #EXACT_SIGN_FLIP_MAX}.
   */
  public static Double signFlipP(double[] d) {
    int n = d.length;
    if (n < 2 || n > EXACT_SIGN_FLIP_MAX) {
      return null;
    }
    double observed = Math.abs(Arrays.stream(d).sum());
    double scale = Arrays.stream(d).map(Math::abs).sum();
    double tolerance = 1e-9 * Math.max(scale, 1e-300); // equal sums that rounding made unequal still count
    long count = 0;
    long patterns = 1L << n;
    for (long mask = 0; mask < patterns; mask++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += (mask >> i & 1) == 1 ? -d[i] : d[i];
      }
      if (Math.abs(sum) >= observed - tolerance) {
        count++;
      }
    }
    return (double) count / patterns;
  }

  /**
   * Holm's step-down adjustment of {@code p} (family-wise error at most alpha for any dependence):
   * sorted ascending, the i-th smallest (from 0) is multiplied by m − i, kept monotone, capped at 1.
   * Nulls stay null and do not count in m.
   */
  public static Double[] holm(Double[] p) {
    Integer[] order = IntStream.range(0, p.length).filter(i -> p[i] != null).boxed()
        .sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
    Double[] adjusted = new Double[p.length];
    int m = order.length;
    double running = 0;
    for (int rank = 0; rank < m; rank++) {
      running = Math.max(running, Math.min(1, (m - rank) * p[order[rank]]));
      adjusted[order[rank]] = running;
    }
    return adjusted;
  }
}
