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
   * @param p two-sided p of the paired t-test; null when n &lt; 2. When every difference is the same
   *     (zero variance) there is no t: p is 1 if they are all zero and 0 otherwise (the limit of the
   *     t-test as the variance goes to 0), and {@code note} says so
   * @param wilcoxonP two-sided exact p of the Wilcoxon signed-rank test, for reference (with 5 pairs
   *     it cannot go below 0.0625); null when n &lt; 2 or a difference is zero
   */
  public record Paired(int n, List<Long> seeds, Double meanDifference, Double sdDifference, Double ciLow,
      Double ciHigh, Double t, Integer df, Double p, Double wilcoxonP, String note) {

    /** Whether the t-test says the difference is significant at {@code alpha}. */
    public boolean significant(double alpha) {
      return p != null && p < alpha;
    }
  }

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
      return new Paired(0, seeds, null, null, null, null, null, null, null, null, "no seed has both variants");
    }
    double mean = StatUtils.mean(d);
    if (n < 2) {
      return new Paired(1, seeds, mean, null, null, null, null, null, null, null,
          "one paired seed: no confidence interval or test");
    }
    double sd = Math.sqrt(StatUtils.variance(d, mean));
    double half = tQuantile(n - 1) * sd / Math.sqrt(n);
    Double t;
    double p;
    String note = null;
    if (sd == 0) {
      t = null;
      p = mean == 0 ? 1.0 : 0.0;
      note = mean == 0 ? "every paired seed is equal: no difference"
          : "every paired seed differs by the same amount: zero variance, t undefined, p taken as 0";
    } else {
      TTest test = new TTest();
      t = test.pairedT(x, y);
      p = test.pairedTTest(x, y);
    }
    Double wilcoxon = null;
    if (java.util.Arrays.stream(d).noneMatch(v -> v == 0)) {
      wilcoxon = new WilcoxonSignedRankTest().wilcoxonSignedRankTest(x, y, n <= 30); // exact up to 30 pairs, as the library allows
    }
    return new Paired(n, seeds, mean, sd, mean - half, mean + half, t, n - 1, p, wilcoxon, note);
  }
}
