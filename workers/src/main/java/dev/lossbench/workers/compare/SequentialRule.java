package dev.lossbench.workers.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of the level α each look of a sequential-seeds benchmark may spend ({@code seeds: {min, max, step}}:
 * looks at n = min, min + step, …, max seeds per variant).
 *
 * <p>The plan is group-sequential alpha spending by the union bound (Bonferroni over looks): the levels α_n sum to
 * α, so the probability of any false decision over all looks is at most α — in each direction at most α/2 — however
 * strongly the looks depend on each other (they share seeds), and without the normal approximation that
 * Lan–DeMets boundaries assume: each look is the same exact sign-flip test the engine always uses, at level α_n.
 *
 * <p>Where the level is spent: with n paired seeds the exact test's smallest two-sided p is 2/2ⁿ, and with Holm over
 * m variants the first step needs p ≤ α_n/m. A level spent where it cannot be reached is wasted, so half of α is
 * shared equally among the longest run of looks before the last at which that share is reachable, and the last look
 * gets the other half (all of α when no earlier look can reach its share). For α = 0.05, looks 3..10 and m = 1 that
 * is α_8 = α_9 = 0.0125, α_10 = 0.025; every other look spends 0 and decides nothing.
 */
public final class SequentialRule {
  private final Map<Integer, Double> levels;
  private final double alpha;

  private SequentialRule(Map<Integer, Double> levels, double alpha) {
    this.levels = levels;
    this.alpha = alpha;
  }

  /**
   * @param min seeds at the first look (≥ 1)
   * @param max seeds at the last look (≥ min)
   * @param step seeds added between looks (≥ 1); the last look is {@code max} even when the steps overshoot it
   * @param alpha the family-wise two-sided level over all looks and variants
   * @param family the number of variants compared with the baseline (Holm's m), ≥ 1
   */
  public static SequentialRule of(int min, int max, int step, double alpha, int family) {
    if (min < 1 || max < min || step < 1 || !(alpha > 0 && alpha < 1) || family < 1) {
      throw new IllegalArgumentException("sequential seeds need 1 <= min <= max, step >= 1, alpha in (0, 1) and a"
          + " family >= 1, got min=" + min + " max=" + max + " step=" + step + " alpha=" + alpha + " family=" + family);
    }
    List<Integer> looks = new ArrayList<>();
    for (int n = min; n < max; n += step) {
      looks.add(n);
    }
    looks.add(max);
    List<Integer> earlier = looks.subList(0, looks.size() - 1);
    // the longest suffix of the earlier looks whose equal share of α/2 the first of them can reach
    int first = earlier.size();
    for (int i = 0; i < earlier.size(); i++) {
      double share = alpha / 2 / (earlier.size() - i);
      if (smallestP(earlier.get(i)) <= share / family) {
        first = i;
        break;
      }
    }
    Map<Integer, Double> levels = new LinkedHashMap<>();
    int spending = earlier.size() - first;
    for (int i = 0; i < earlier.size(); i++) {
      levels.put(earlier.get(i), i >= first ? alpha / 2 / spending : 0.0);
    }
    levels.put(max, spending == 0 ? alpha : alpha / 2);
    return new SequentialRule(levels, alpha);
  }

  /**
   * A rule with the given levels (look → α_n, ascending looks), α being their intended total. Only the calibration
   * uses it, to plug broken spending plans into the real looks and show that it catches them.
   */
  static SequentialRule withLevels(Map<Integer, Double> levels, double alpha) {
    return new SequentialRule(new LinkedHashMap<>(levels), alpha);
  }

  /** The exact sign-flip test's smallest two-sided p with n pairs: 2 / 2ⁿ. */
  static double smallestP(int n) {
    return Math.min(1, Math.scalb(2.0, -n));
  }

  /** The looks, ascending: the seed counts at which variants are decided. */
  public List<Integer> looks() {
    return List.copyOf(levels.keySet());
  }

  /** The two-sided level spent at look n; 0 at a look that decides nothing (and at a seed count that is no look). */
  public double levelAt(int n) {
    return levels.getOrDefault(n, 0.0);
  }

  /** α: the sum of the levels. */
  public double alpha() {
    return alpha;
  }

  @Override
  public String toString() {
    return "SequentialRule" + levels;
  }
}
