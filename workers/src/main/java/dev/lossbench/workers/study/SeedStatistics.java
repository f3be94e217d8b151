package dev.lossbench.workers.study;

import dev.lossbench.workers.compare.MeasureKind;
import dev.lossbench.workers.compare.PairedResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;

/**
 * The study's statistics over seeds: a mean with its 95 % Student-t confidence interval (a description of one
 * variant, never a decision), and a paired comparison of two variants over the seeds both have, decided by the
 * comparison engine ({@code workers/compare}: exact sign-flip test with ties, TOST, P(A &gt; B)).
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
   * {@code a − b} over the seeds present in both, decided by the comparison engine's test.
   *
   * @param seeds the paired seeds, ascending
   * @param kind continuous, or discrete (an integer measure such as epochs: many exact ties)
   * @param meanDifference mean of a − b; null without pairs
   * @param sdDifference sample standard deviation of the differences; null when n &lt; 2
   * @param ciLow (1 − α) interval of the mean difference from inverting the sign-flip test; null when unbounded
   *     (with α = 0.05 every n ≤ 5: no sign-flip test can exclude any value with 5 seeds)
   * @param p the deciding two-sided p: the engine's exact sign-flip test (ties and floating-point noise count as
   *     ties, so 5 seeds cannot go below 0.0625 and 2 seeds below 0.5); null when n &lt; 2
   * @param test the engine's test name; null without p
   * @param tP the paired t-test's two-sided p, shown beside the deciding p for reference only; null when n &lt; 2
   *     or the differences do not vary
   * @param pAGreater P(A &gt; B) over the paired seeds (ties count ½); null without pairs
   * @param pEquivalence TOST p that the mean difference lies within ± {@code bound} (the engine's two one-sided
   *     sign-flip tests); below α means "equivalent"; null when n &lt; 2 or there is no bound
   * @param bound the absolute equivalence bound used; null when there is none
   */
  public record Paired(int n, List<Long> seeds, MeasureKind kind, Double meanDifference, Double sdDifference,
      Double ciLow, Double ciHigh, Double p, String test, Double tP, Double pAGreater, Double pEquivalence,
      Double bound, String note) {

    /** Whether the test says the difference is significant at {@code alpha} (uncorrected). */
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

  /** {@code a − b} paired by seed through the engine's test; seeds in only one of the maps are left out. */
  public static Paired paired(Map<Long, Double> a, Map<Long, Double> b, MeasureKind kind, double bound, double alpha) {
    return paired(a, b, kind, bound, alpha, PairedTest.ENGINE);
  }

  static Paired paired(Map<Long, Double> a, Map<Long, Double> b, MeasureKind kind, double bound, double alpha,
      PairedTest test) {
    List<Long> seeds = new ArrayList<>(new TreeSet<>(a.keySet()));
    seeds.retainAll(b.keySet());
    int n = seeds.size();
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = a.get(seeds.get(i));
      y[i] = b.get(seeds.get(i));
    }
    if (n == 0) {
      return new Paired(0, seeds, kind, null, null, null, null, null, null, null, null, null, null,
          "no seed has both variants");
    }
    PairedResult r = test.compare(x, y, kind, bound, alpha);
    if (n < 2) {
      return new Paired(1, seeds, kind, r.meanDelta(), null, null, null, null, null, null, r.pAGreater(), null,
          null, "one paired seed: no interval or test");
    }
    double[] d = IntStream.range(0, n).mapToDouble(i -> x[i] - y[i]).toArray();
    double sd = Math.sqrt(StatUtils.variance(d));
    String note = r.meanDelta() == 0 ? "every paired seed is equal (up to floating-point noise): no difference" : null;
    return new Paired(n, seeds, kind, r.meanDelta(), sd, r.ciLow(), r.ciHigh(), r.p(), r.test(), r.pT(),
        r.pAGreater(), r.pEquivalence(), Double.isNaN(r.bound()) ? null : r.bound(), note);
  }
}
