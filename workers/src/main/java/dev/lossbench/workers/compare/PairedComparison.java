package dev.lossbench.workers.compare;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * The paired comparison every lossbench verdict rests on: the sign-flip (Fisher–Pitman permutation) test of the
 * differences a − b, exact up to {@link #EXACT_MAX} pairs and Monte Carlo with a fixed seed beyond.
 *
 * <p>Why this test decides: it assumes only that, with no difference, each seed's Δ is as likely positive as
 * negative (symmetry), so its error rate holds for integer measures with ties, heavy tails and a collapsing seed,
 * where the t-test's normality does not (with 5 seeds the t-test says p = 0.0028 for {−1, −2, −2, −1, −2}; no
 * distribution-free test can go below 2/2⁵ = 0.0625). The t-test's p is computed and printed beside it, never used.
 *
 * <p>How: flipping the signs of a subset S of the differences changes the statistic Σ(dᵢ − δ) by −2·Σ_S(dᵢ − δ),
 * so the pattern is at least as extreme (one-sided, "greater") exactly when the mean of d over S is ≤ δ. The
 * one-sided p-values at any δ are therefore counts of subset means (Hartigan 1969), which gives from one sorted
 * list: the two-sided p at δ = 0 (twice the smaller one-sided p), the (1 − α) interval of the mean Δ (the δ the
 * test does not reject — so the interval excludes 0 exactly when p ≤ α) and the TOST p at ±bound. Ties (Δ = 0)
 * count against a rejection in both directions, which keeps the test valid for few-valued measures.
 *
 * <p>Floating-point noise is not evidence: a difference within {@link #RELATIVE_NOISE} × max(1, |values|) of 0 is
 * a tie, and subset means are compared with the same tolerance, so two seeds whose differences differ by 7e-15
 * give p = 0.5.
 */
public final class PairedComparison {
  /** Largest n whose 2ⁿ sign patterns are enumerated. */
  public static final int EXACT_MAX = 20;
  /** Random sign patterns drawn beyond {@link #EXACT_MAX} pairs (plus the observed one). */
  public static final int MONTE_CARLO_PATTERNS = 20_000;
  /** The fixed seed of those patterns: the same data always gives the same p. */
  public static final long MONTE_CARLO_SEED = 20210301L;
  /** Differences and subset means this close (relative to the values' magnitude) count as equal. */
  public static final double RELATIVE_NOISE = 1e-9;
  /** Test names, as stored. */
  public static final String EXACT = "sign-flip exact";
  public static final String MONTE_CARLO = "sign-flip monte-carlo";
  /** Normal quantile of the 95 % Wilson interval of P(A &gt; B). */
  private static final double Z95 = 1.959963984540054;

  private PairedComparison() {}

  /**
   * Compares a with b paired by index (same index, same seed).
   *
   * @param equivalenceBound the absolute TOST bound (Δ within ±bound is "equivalent"); ≤ 0 or NaN: no TOST
   * @param alpha two-sided level: the interval is 1 − α, each one-sided test at α / 2
   */
  public static PairedResult compare(double[] a, double[] b, MeasureKind kind, double equivalenceBound, double alpha) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired values differ in length: " + a.length + " vs " + b.length);
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    }
    int n = a.length;
    boolean hasBound = equivalenceBound > 0 && Double.isFinite(equivalenceBound);
    double bound = hasBound ? equivalenceBound : Double.NaN;
    if (n == 0) {
      return new PairedResult(0, null, null, null, null, null, null, null, null, null, null, bound, kind);
    }
    double scale = 1;
    for (int i = 0; i < n; i++) {
      scale = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(b[i])));
    }
    double tolerance = RELATIVE_NOISE * scale;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      double diff = a[i] - b[i];
      d[i] = Math.abs(diff) <= tolerance ? 0 : diff;
    }
    double mean = StatUtils.mean(d);
    SubsetMeans means = n <= EXACT_MAX ? SubsetMeans.exact(d) : SubsetMeans.monteCarlo(d);
    double p = Math.min(1, 2 * Math.min(means.pGreater(0, tolerance), means.pLess(0, tolerance)));
    Double pEquivalence = hasBound
        ? Math.max(means.pGreater(-bound, tolerance), means.pLess(bound, tolerance))
        : null;
    Double[] interval = means.interval(alpha);
    double positive = 0;
    for (double v : d) {
      positive += v > 0 ? 1 : v == 0 ? 0.5 : 0;
    }
    double share = positive / n;
    double[] wilson = wilson(share, n);
    return new PairedResult(n, mean, interval[0], interval[1], share, wilson[0], wilson[1], p, tTestP(d),
        n <= EXACT_MAX ? EXACT : MONTE_CARLO, pEquivalence, bound, kind);
  }

  /** The paired t-test's two-sided p, for reference; null when it has no statistic. */
  private static Double tTestP(double[] d) {
    if (d.length < 2 || StatUtils.variance(d) == 0) {
      return null;
    }
    double p = new TTest().tTest(0, d);
    return Double.isNaN(p) ? null : p;
  }

  /**
   * The Wilson score interval of a share over n seeds: it stays inside [0, 1] and keeps near its nominal 95 %
   * with the 2–10 seeds benchmarks have, where a bootstrap over seeds has only a handful of distinct resamples
   * and the Wald interval collapses to a point at 0 or 1.
   */
  static double[] wilson(double share, int n) {
    double z2 = Z95 * Z95;
    double centre = (share + z2 / (2 * n)) / (1 + z2 / n);
    double half = Z95 / (1 + z2 / n) * Math.sqrt(share * (1 - share) / n + z2 / (4.0 * n * n));
    return new double[]{Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  /**
   * The means of d over the flipped subsets of every sign pattern considered (all 2ⁿ, or the observed one plus
   * {@link #MONTE_CARLO_PATTERNS} random ones), sorted; patterns that flip nothing are counted apart (they are
   * always at least as extreme).
   */
  private record SubsetMeans(double[] sorted, int empty, int patterns) {

    static SubsetMeans exact(double[] d) {
      int n = d.length;
      int patterns = 1 << n;
      double[] sums = new double[patterns];
      double[] means = new double[patterns - 1];
      for (int mask = 1; mask < patterns; mask++) {
        int low = Integer.numberOfTrailingZeros(mask);
        sums[mask] = sums[mask & (mask - 1)] + d[low];
        means[mask - 1] = sums[mask] / Integer.bitCount(mask);
      }
      Arrays.sort(means);
      return new SubsetMeans(means, 1, patterns);
    }

    static SubsetMeans monteCarlo(double[] d) {
      SplittableRandom random = new SplittableRandom(MONTE_CARLO_SEED);
      double[] means = new double[MONTE_CARLO_PATTERNS];
      int count = 0;
      int empty = 1; // the observed pattern
      for (int b = 0; b < MONTE_CARLO_PATTERNS; b++) {
        double sum = 0;
        int size = 0;
        for (double v : d) {
          if (random.nextBoolean()) {
            sum += v;
            size++;
          }
        }
        if (size == 0) {
          empty++;
        } else {
          means[count++] = sum / size;
        }
      }
      double[] sorted = Arrays.copyOf(means, count);
      Arrays.sort(sorted);
      return new SubsetMeans(sorted, empty, MONTE_CARLO_PATTERNS + 1);
    }

    /** One-sided p against "centre ≤ δ" (evidence that Δ &gt; δ): patterns with subset mean ≤ δ. */
    double pGreater(double delta, double tolerance) {
      return (empty + countAtMost(delta + tolerance)) / (double) patterns;
    }

    /** One-sided p against "centre ≥ δ" (evidence that Δ &lt; δ): patterns with subset mean ≥ δ. */
    double pLess(double delta, double tolerance) {
      return (empty + sorted.length - countBelow(delta - tolerance)) / (double) patterns;
    }

    /** The δ neither one-sided test rejects at α / 2; a null end is unbounded (too few patterns to reject). */
    Double[] interval(double alpha) {
      // pGreater(δ) > α/2  ⟺  empty + #{m ≤ δ} > α·patterns/2  ⟺  #{m ≤ δ} ≥ need
      long need = (long) Math.floor(alpha * patterns / 2 - empty) + 1;
      if (need <= 0) {
        return new Double[]{null, null};
      }
      return new Double[]{sorted[(int) need - 1], sorted[sorted.length - (int) need]};
    }

    private int countAtMost(double x) {
      int lo = 0;
      int hi = sorted.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (sorted[mid] <= x) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    private int countBelow(double x) {
      int lo = 0;
      int hi = sorted.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (sorted[mid] < x) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }
}
