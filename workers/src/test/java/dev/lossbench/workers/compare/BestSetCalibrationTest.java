package dev.lossbench.workers.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link BestSet}'s promise, simulated through the real code: the set holds the truly best variant with probability
 * ≥ 1 − α/2. Each draw is one group of {@value #VARIANTS} variants × {@value #SEEDS} seeds (a per-seed effect shared
 * by every variant of the seed, as training on the same data order shares it, plus a per-run effect), handed to
 * {@link BestSet#of} as observations. The rate at which the best is left out must stay ≤ α/2 + 2.33 binomial
 * standard errors in every row; the rule without the Bonferroni correction (each pair at α) must break that bound on
 * the all-equal row, or the test could not tell a valid set from an invalid one. Fixed seeds; the table is printed.
 */
class BestSetCalibrationTest {
  static final int VARIANTS = 6;
  static final int SEEDS = 10;
  static final double ALPHA = 0.05;
  static final int DRAWS = 2000;

  /** How the variants' expected rSum differ, in σ_run (variant 0 is always a best). */
  enum Field {
    /** All equal: every variant is a best; the hardest case for coverage. */
    EQUAL(new double[]{0, 0, 0, 0, 0, 0}),
    /** Two tied for best, the rest 0.5 σ apart below them. */
    TWO_TIED(new double[]{0, 0, -0.5, -1, -1.5, -2}),
    /** Variant 0 ahead by 3 σ of the rest. */
    CLEAR(new double[]{0, -3, -3, -3, -3, -3}),
    /** An integer measure with many ties: all equal, values rounded. */
    EQUAL_INTEGER(new double[]{0, 0, 0, 0, 0, 0});

    final double[] means;

    Field(double[] means) {
      this.means = means;
    }
  }

  /** Share of draws leaving variant 0 out, and share whose set is variant 0 alone. */
  record Rates(double leftOut, double decided, double meanSize) {}

  static Rates simulate(Field field, boolean uncorrected, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int leftOut = 0;
    int decided = 0;
    long size = 0;
    for (int d = 0; d < DRAWS; d++) {
      List<Observation> obs = new ArrayList<>();
      for (int s = 1; s <= SEEDS; s++) {
        double seedEffect = 3 * SimulatedRuns.gaussian(random);
        for (int v = 0; v < VARIANTS; v++) {
          double x = 100 + seedEffect + field.means[v] + SimulatedRuns.gaussian(random);
          if (field == Field.EQUAL_INTEGER) {
            x = Math.rint(x);
          }
          obs.add(new Observation("g", "m", "test", "v" + v, s, Map.of(Measure.RSUM.name(), x)));
        }
      }
      BestSet.Group g = BestSet.of(Measure.RSUM, ALPHA, obs, uncorrected).get(0);
      leftOut += g.variants().contains("v0") ? 0 : 1;
      decided += g.variants().equals(List.of("v0")) ? 1 : 0;
      size += g.variants().size();
    }
    return new Rates(leftOut / (double) DRAWS, decided / (double) DRAWS, size / (double) DRAWS);
  }

  static double bound() {
    return ALPHA / 2 + 2.33 * Math.sqrt(ALPHA / 2 * (1 - ALPHA / 2) / DRAWS);
  }

  @Test
  void theSetHoldsTheBestAtTheStatedRateAndTheUncorrectedRuleDoesNot() {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "Best set: %d variants x %d seeds, alpha %.2f,"
        + " %d draws per row; bound on leaving the best out: %.4f%n", VARIANTS, SEEDS, ALPHA, DRAWS, bound()));
    List<String> violations = new ArrayList<>();
    Rates clear = null;
    for (Field f : Field.values()) {
      Rates r = simulate(f, false, 7000L + f.ordinal());
      out.append(String.format(Locale.ROOT, "  %-14s best left out %.4f   set = the best alone %.3f   mean size %.2f%n",
          f.name().toLowerCase(Locale.ROOT), r.leftOut(), r.decided(), r.meanSize()));
      if (r.leftOut() > bound()) {
        violations.add(f + ": " + r.leftOut());
      }
      if (f == Field.CLEAR) {
        clear = r;
      }
    }
    Rates broken = simulate(Field.EQUAL, true, 7000L);
    out.append(String.format(Locale.ROOT, "  broken rule (each pair at alpha), equal field: best left out %.4f%n",
        broken.leftOut()));
    System.out.print(out);
    assertTrue(violations.isEmpty(), "coverage violated: " + violations + "\n" + out);
    assertTrue(broken.leftOut() > bound(), "the uncorrected rule must break the bound\n" + out);
    // power, so that the set is not trivially everything: a 3 sigma lead is decided in most draws
    assertTrue(clear.decided() > 0.8, "a 3 sigma lead decided in " + clear.decided() + "\n" + out);
  }

  @Test
  void aSingleVariantOrNoRivalDecidesNothing() {
    List<Observation> one = List.of(new Observation("g", "m", "test", "a", 1, Map.of("rsum", 1.0)));
    BestSet.Group g = BestSet.of(Measure.RSUM, ALPHA, one).get(0);
    assertEquals(List.of("a"), g.variants());
    assertFalse(g.decided(), "one variant is not a decision");
    // lower is better: the smaller values win, and the set is sorted by mean in the measure's good direction
    Measure epochs = new Measure("epochs", MeasureKind.DISCRETE, false);
    List<Observation> obs = new ArrayList<>();
    for (int s = 1; s <= 8; s++) {
      obs.add(new Observation("g", "m", "test", "fast", s, Map.of("epochs", 2.0 + (s % 2))));
      obs.add(new Observation("g", "m", "test", "slow", s, Map.of("epochs", 6.0 + (s % 3))));
      obs.add(new Observation("g", "m", "test", "fast2", s, Map.of("epochs", 2.0 + ((s + 1) % 2))));
    }
    BestSet.Group lower = BestSet.of(epochs, ALPHA, obs).get(0);
    assertEquals(List.of("fast", "fast2"), lower.variants(), "two tied fast variants; slow decided worse");
    assertFalse(lower.decided());
  }
}
