package dev.lossbench.workers.compare;

import java.util.Locale;

/** What a comparison of a variant with the baseline concludes, in the words the leaderboard prints. */
public enum Outcome {
  /** The variant is better than the baseline (Holm-adjusted two-sided p ≤ α, Δ in the measure's good direction). */
  BETTER,
  /** The variant is worse than the baseline (Holm-adjusted two-sided p ≤ α, Δ in the bad direction). */
  WORSE,
  /** Holm-adjusted TOST p ≤ α: Δ lies within ± the declared equivalence bound (even where it is also significant). */
  EQUIVALENT,
  /** Neither: too few seeds or too noisy to tell. */
  UNDECIDED;

  /** The lower-case word stored and printed ({@code better}, …). */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The outcome from Holm-adjusted p-values. A difference inside the equivalence bound is {@link #EQUIVALENT} even
   * when the test also finds it: it is real but smaller than what the matrix declared to matter.
   *
   * @param meanDelta mean of variant − baseline; null without pairs
   * @param pAdjusted Holm-adjusted two-sided p of the difference; null when not tested
   * @param pEquivalenceAdjusted Holm-adjusted TOST p; null when there is no bound or no pairs
   * @param higherIsBetter whether a larger value of the measure is better (rSum: yes; epochs to a threshold: no)
   */
  public static Outcome decide(Double meanDelta, Double pAdjusted, Double pEquivalenceAdjusted, double alpha,
      boolean higherIsBetter) {
    if (pEquivalenceAdjusted != null && pEquivalenceAdjusted <= alpha) {
      return EQUIVALENT;
    }
    if (meanDelta == null || pAdjusted == null || pAdjusted > alpha || meanDelta == 0) {
      return UNDECIDED;
    }
    return (meanDelta > 0) == higherIsBetter ? BETTER : WORSE;
  }
}
