package dev.lossbench.workers.compare;

import static dev.lossbench.workers.compare.SequentialSimulation.ALPHA;
import static dev.lossbench.workers.compare.SequentialSimulation.MAX;
import static dev.lossbench.workers.compare.SequentialSimulation.MIN;
import static dev.lossbench.workers.compare.SequentialSimulation.SIGMA;
import static dev.lossbench.workers.compare.SequentialSimulation.STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.workers.compare.SequentialSimulation.Procedure;
import dev.lossbench.workers.compare.SequentialSimulation.Rates;
import dev.lossbench.workers.compare.SequentialSimulation.Row;
import dev.lossbench.workers.compare.SequentialSimulation.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

/**
 * Issue #22's sequential seeds, calibrated through the real code path, looks included: every simulated group runs
 * the whole procedure of {@code seeds: {min: 3, max: 10, step: 1}} — looks n = 3 … 10, at each look
 * {@link SequentialLook#decide} with {@link SequentialRule}'s α_n (exact sign-flip test, TOST, Holm over the group's
 * variants), decided variants stop, undecided ones get the next seed, the baseline paired by seed
 * ({@link SequentialSimulation}). Only the runs' figures are drawn; fixed seeds, the same table on every run.
 *
 * <p>Nulls (no variant differs from the baseline): Gaussian; heavy-tailed run effects (Student t, 3 df); a collapsing
 * seed; final validation rSum of curves resampled from the 8 stored quick-matrix curves; an integer measure (epochs
 * to a threshold, many ties); a few-valued stress row (±2/±3 epochs, no ties) — each with one variant and with four
 * (Holm). A per-seed effect shared by every variant of the seed in each. Per row and direction the family-wise rate
 * of a false decision at any look must stay ≤ α/2 + 2.33 binomial standard errors. Power: with Δ = 2 σ_seed
 * (+12 rSum, σ_seed = 6) planted on one variant, that variant must come out better in
 * ≥ {@value #POWER_FLOOR} of groups, alone and among four. The decisions of the first {@value #RECOMPUTED} groups of
 * each row, recomputed from their runs alone by {@link SequentialLook#finalDecisions} (what the store's comparisons
 * hold), must equal the look-by-look ones.
 *
 * <p>The mutation check runs three broken rules through the same table; each must violate a bound: (a) no spending,
 * α at every look; (b) the paired t-test instead of the exact test at every look; (c) each look decided with the
 * level the rule would give it were it the final look ({@code SequentialRule.of(min, n, …)}), ignoring the looks
 * before it.
 */
class SequentialCalibrationTest {
  static final double POWER_FLOOR = 0.9;
  /** Groups per row whose stored decisions are recomputed and compared (the check costs a look per variant). */
  static final int RECOMPUTED = 1000;

  /**
   * The null rows, cheapest catch first (the mutation check stops at the first violated row): one variant with
   * 8,000 draws (slack 0.41 points), four with 2,000 (slack 0.81), the few-valued four with 4,000 (slack 0.57).
   */
  static final List<Row> NULL_ROWS = List.of(
      new Row(Scenario.FEW_VALUED, 4, 0, 4000),
      new Row(Scenario.GAUSSIAN, 1, 0, 8000),
      new Row(Scenario.HEAVY_TAILS, 1, 0, 8000),
      new Row(Scenario.COLLAPSING_SEED, 1, 0, 8000),
      new Row(Scenario.RESAMPLED_CURVES, 1, 0, 8000),
      new Row(Scenario.EPOCHS_TO_THRESHOLD, 1, 0, 8000),
      new Row(Scenario.FEW_VALUED, 1, 0, 8000),
      new Row(Scenario.GAUSSIAN, 4, 0, 2000),
      new Row(Scenario.HEAVY_TAILS, 4, 0, 2000),
      new Row(Scenario.COLLAPSING_SEED, 4, 0, 2000),
      new Row(Scenario.RESAMPLED_CURVES, 4, 0, 2000),
      new Row(Scenario.EPOCHS_TO_THRESHOLD, 4, 0, 2000));

  /** Δ = 2 σ_seed on variant 1 (asserted), and Δ = σ_seed (printed only). */
  static final List<Row> POWER_ROWS = List.of(
      new Row(Scenario.GAUSSIAN, 1, 2 * SIGMA, 2000),
      new Row(Scenario.GAUSSIAN, 4, 2 * SIGMA, 2000),
      new Row(Scenario.HEAVY_TAILS, 4, 2 * SIGMA, 2000),
      new Row(Scenario.GAUSSIAN, 1, SIGMA, 2000),
      new Row(Scenario.GAUSSIAN, 4, SIGMA, 2000));

  /** Each row draws from its own fixed seed, so a mutation meets the very groups the sound rule met. */
  private static long seedOf(Row row) {
    return 2200L + 31L * row.scenario().ordinal() + row.variants() + (long) (10 * row.planted());
  }

  @Test
  void falseDecisionsStayWithinHalfAlphaPerDirectionOverAllLooksAndThePowerHolds() {
    StringBuilder out = new StringBuilder("Sequential seeds {min: " + MIN + ", max: " + MAX + ", step: " + STEP
        + "}, alpha " + ALPHA + ": " + Procedure.SOUND.name() + "\n");
    for (int m : new int[]{1, 4}) {
      out.append("  levels, m = ").append(m).append(": ").append(SequentialRule.of(MIN, MAX, STEP, ALPHA, m))
          .append('\n');
    }
    out.append(Rates.header());
    List<String> violations = new ArrayList<>();
    int mismatches = 0;
    int recomputed = 0;
    for (Row row : NULL_ROWS) {
      Rates r = SequentialSimulation.rates(row, Procedure.SOUND, seedOf(row), RECOMPUTED);
      out.append(r.line()).append('\n');
      mismatches += r.mismatches();
      recomputed += r.recomputed();
      if (r.violated()) {
        violations.add(r.line());
      }
    }
    List<String> weak = new ArrayList<>();
    for (Row row : POWER_ROWS) {
      Rates r = SequentialSimulation.rates(row, Procedure.SOUND, seedOf(row), RECOMPUTED);
      out.append(r.line()).append('\n');
      mismatches += r.mismatches();
      recomputed += r.recomputed();
      if (r.violated()) {
        violations.add(r.line());
      }
      if (row.planted() == 2 * SIGMA && r.power() < POWER_FLOOR) {
        weak.add(r.line());
      }
    }
    out.append("  groups whose decisions were recomputed from their stored runs (SequentialLook.finalDecisions): ")
        .append(recomputed).append("; decisions that differ from the look-by-look ones: ").append(mismatches)
        .append('\n');
    System.out.print(out);
    assertTrue(violations.isEmpty(), "bound violated:\n" + String.join("\n", violations) + "\n" + out);
    assertTrue(weak.isEmpty(), "power below " + POWER_FLOOR + " at 2 sigma_seed:\n" + String.join("\n", weak));
    assertEquals(0, mismatches, "stored decisions differ from the workflow's\n" + out);
  }

  @Test
  void eachOfThreeBrokenRulesFailsTheCalibration() {
    Map<String, Procedure> broken = new LinkedHashMap<>();
    broken.put("a", new Procedure("(a) no spending: alpha at every look", m -> levels(m, n -> ALPHA),
        PairedComparison::compare));
    broken.put("b", new Procedure("(b) the paired t-test instead of the exact sign-flip test at every look",
        m -> SequentialRule.of(MIN, MAX, STEP, ALPHA, m), T_TEST));
    broken.put("c", new Procedure("(c) each look at the level of a plan whose final look it is,"
        + " SequentialRule.of(min, n, ...): the final look's rule, earlier looks ignored",
        m -> levels(m, n -> SequentialRule.of(MIN, n, STEP, ALPHA, m).levelAt(n)), PairedComparison::compare));
    StringBuilder out = new StringBuilder();
    Map<String, String> caught = new LinkedHashMap<>();
    for (Map.Entry<String, Procedure> e : broken.entrySet()) {
      Procedure p = e.getValue();
      out.append("MUTATION ").append(p.name()).append('\n');
      if (e.getKey().equals("c")) {
        out.append("  levels, m = 1: ").append(p.rule().apply(1)).append('\n');
      }
      out.append(Rates.header());
      for (Row row : NULL_ROWS) {
        Rates r = SequentialSimulation.rates(row, p, seedOf(row), 0);
        out.append(r.line()).append('\n');
        if (r.violated()) {
          caught.put(e.getKey(), r.line());
          break;
        }
      }
      out.append(caught.containsKey(e.getKey()) ? "  -> caught\n" : "  -> error-rate bound NOT violated\n");
    }
    System.out.print(out);
    for (String key : broken.keySet()) {
      assertTrue(caught.containsKey(key), "mutation (" + key + ") passes the calibration\n" + out);
    }
  }

  /** The sound looks with other levels. */
  private static SequentialRule levels(int m, java.util.function.IntToDoubleFunction level) {
    Map<Integer, Double> levels = new LinkedHashMap<>();
    for (int n : SequentialRule.of(MIN, MAX, STEP, ALPHA, m).looks()) {
      levels.put(n, level.applyAsDouble(n));
    }
    return SequentialRule.withLevels(levels, ALPHA);
  }

  /**
   * (b): the engine's result with the paired t-test's p deciding; where the differences do not vary the old
   * fallback 2/2ⁿ (so that the mutation is the t-test's tails, not issue #21's zero-variance certainty).
   */
  private static final ComparisonEngine.PairedTest T_TEST = (a, b, kind, bound, alpha) -> {
    PairedResult r = PairedComparison.compare(a, b, kind, bound, alpha);
    double[] d = new double[a.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = a[i] - b[i];
    }
    if (d.length < 2) {
      return r;
    }
    double p = StatUtils.variance(d) == 0
        ? (r.meanDelta() == 0 ? 1 : PairedResult.minimumP(d.length))
        : new TTest().tTest(0, d);
    return new PairedResult(r.n(), r.meanDelta(), r.ciLow(), r.ciHigh(), r.pAGreater(), r.pAGreaterLow(),
        r.pAGreaterHigh(), p, r.pT(), r.test(), r.pEquivalence(), r.bound(), r.kind());
  };

  @Test
  void theLevelsSumToAlphaAndTheFirstDecidingLookCanReachItsShare() {
    for (int m : new int[]{1, 2, 4, 8, 23}) {
      SequentialRule rule = SequentialRule.of(MIN, MAX, STEP, ALPHA, m);
      double sum = rule.looks().stream().mapToDouble(rule::levelAt).sum();
      assertEquals(ALPHA, sum, 1e-12, rule.toString());
      for (int n : rule.looks()) {
        if (rule.levelAt(n) > 0) {
          assertTrue(SequentialRule.smallestP(n) <= rule.levelAt(n) / m, "look " + n + " cannot decide: " + rule);
        }
      }
      assertFalse(rule.levelAt(MAX) == 0, rule.toString());
    }
  }

  @Test
  void theFewValuedRowDiffersByTwoOrThreeEpochsOnEverySeed() {
    double[][] values = Scenario.FEW_VALUED.draw(new java.util.SplittableRandom(5), 1, 0);
    for (int s = 0; s < MAX; s++) {
      double d = Math.abs(values[1][s] - values[0][s]);
      assertTrue(d == 2 || d == 3, String.format(Locale.ROOT, "seed %d: |d| = %.1f", s + 1, d));
    }
  }
}
