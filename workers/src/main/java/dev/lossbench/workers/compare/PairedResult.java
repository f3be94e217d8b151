package dev.lossbench.workers.compare;

/**
 * One paired comparison, Δ = a − b over the seeds both have. Undefined figures are {@code null}, never NaN.
 *
 * @param n paired seeds
 * @param meanDelta mean of the differences; null when n = 0
 * @param ciLow lower end of the (1 − α) interval of the mean Δ, from inverting the sign-flip test (Hartigan's
 *     subset means); null when unbounded — with α = 0.05 that is every n ≤ 5, where no sign-flip test can
 *     exclude any value
 * @param ciHigh upper end, likewise
 * @param pAGreater P(A &gt; B) over seeds: the share of paired seeds with Δ &gt; 0, ties counting ½ (Bouthillier et
 *     al. 2021); null when n = 0
 * @param pAGreaterLow 95 % Wilson interval of that share, lower end
 * @param pAGreaterHigh upper end
 * @param p the deciding two-sided p: the sign-flip test, 2 × the smaller one-sided p, at most 1; null when n = 0
 * @param pT the paired t-test's two-sided p, printed for reference only (it decides nothing); null when n &lt; 2
 *     or the differences do not vary
 * @param test {@link PairedComparison#EXACT} or {@link PairedComparison#MONTE_CARLO}; null when n = 0
 * @param pEquivalence TOST p (the larger of the two one-sided sign-flip p's of Δ against −bound and +bound);
 *     null when n = 0 or there is no positive bound
 * @param bound the absolute equivalence bound used (NaN when none)
 * @param kind what kind of measure was compared
 */
public record PairedResult(int n, Double meanDelta, Double ciLow, Double ciHigh, Double pAGreater,
    Double pAGreaterLow, Double pAGreaterHigh, Double p, Double pT, String test, Double pEquivalence, double bound,
    MeasureKind kind) {

  /** The smallest two-sided p the sign-flip test can give with n pairs: 2 / 2ⁿ (1 with none). */
  public static double minimumP(int n) {
    return n == 0 ? 1 : Math.min(1, 2 / Math.pow(2, n));
  }
}
