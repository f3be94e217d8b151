package dev.lossbench.workers.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.workers.study.StudyInput.EpochPoint;
import dev.lossbench.workers.study.StudyInput.StudyDataset;
import dev.lossbench.workers.study.StudyInput.StudyRun;
import dev.lossbench.workers.study.StudyResult.ClaimVerdict;
import dev.lossbench.workers.study.StudyResult.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each verdict of each claim, on small in-memory benchmarks built for it. */
class StudyVerdictTest {
  private static final String T = "triplet-hn";
  private static final String V = "infonce:tau=0.05";
  private static final String U = "unified:gamma=50";
  private static final StudyOptions EPOCH_1 = StudyOptions.defaults().withEarlyEpochs(List.of(1));

  /** A benchmark under construction: datasets (the first is "scenes" unless others are added) and runs. */
  private static final class Bench {
    final List<StudyDataset> datasets = new ArrayList<>();
    final List<StudyRun> runs = new ArrayList<>();

    Bench dataset(String name, Long trainImages) {
      datasets.add(new StudyDataset(name, name, trainImages, null));
      return this;
    }

    /** A run whose validation rSum by epoch (from 1) is {@code curve}; one second per epoch. */
    Bench run(String dataset, String variant, long seed, Double test, double... curve) {
      List<EpochPoint> epochs = new ArrayList<>();
      for (int e = 0; e < curve.length; e++) {
        epochs.add(new EpochPoint(e + 1, curve[e], 1));
      }
      String loss = variant.contains(":") ? variant.substring(0, variant.indexOf(':')) : variant;
      runs.add(new StudyRun(dataset + "-" + variant + "-" + seed, dataset, "m", loss, variant, seed, epochs, test));
      return this;
    }

    /** Runs reaching 90 % of their best (100) at epoch {@code epochsTo90[i]} for seed i + 1, epoch 1 at {@code early[i]}. */
    Bench converging(String variant, int[] epochsTo90, double[] early) {
      for (int i = 0; i < epochsTo90.length; i++) {
        double[] curve = new double[6];
        for (int e = 1; e <= 6; e++) {
          curve[e - 1] = e == 1 && epochsTo90[i] > 1 ? early[i] : e < epochsTo90[i] ? 80 + e : e == 6 ? 100 : 95;
        }
        run("scenes", variant, i + 1, 300.0, curve);
      }
      return this;
    }

    StudyResult study(StudyOptions options) {
      if (datasets.isEmpty()) {
        dataset("scenes", 1000L);
      }
      return Study.compute(new StudyInput("benchmark-x", "x", datasets, runs), options);
    }
  }

  // ---- claim 1: the area under the validation-rSum curve ----

  /** Runs whose validation rSum by epoch is {@code level − 20, level, level + 10} for seed i + 1 (area level − 10/3). */
  private static Bench curves(Bench b, String variant, double... levels) {
    for (int i = 0; i < levels.length; i++) {
      b.run("scenes", variant, i + 1, 300.0, levels[i] - 20, levels[i], levels[i] + 10);
    }
    return b;
  }

  private static final double[] TRIPLET_LEVELS = {100, 102, 99, 101, 100, 103};

  @Test
  void claim1SupportedWhenTheCurveAreaIsSignificantlyLarger() {
    // every one of 6 seeds ahead: exact sign-flip p = 2/2⁶ = 0.03125
    ClaimVerdict v = curves(curves(new Bench(), T, TRIPLET_LEVELS), U, 121, 125, 118, 122, 119, 126)
        .study(EPOCH_1).verdict(1);
    assertEquals(Outcome.SUPPORTED, v.outcome(), v.reason());
    assertTrue(v.datasets().get(0).reason().contains("is significantly better than"), v.datasets().get(0).reason());
    assertTrue(v.datasets().get(0).reason().contains("sign-flip p = 0.0313"), v.datasets().get(0).reason());
  }

  @Test
  void claim1NotSupportedWhenTheCurveAreaIsSignificantlySmaller() {
    ClaimVerdict v = curves(curves(new Bench(), T, TRIPLET_LEVELS), U, 81, 85, 78, 82, 79, 86)
        .study(EPOCH_1).verdict(1);
    assertEquals(Outcome.NOT_SUPPORTED, v.outcome(), v.reason());
    assertTrue(v.datasets().get(0).reason().contains("is significantly worse than"), v.datasets().get(0).reason());
  }

  @Test
  void claim1NotSupportedWhenTheCurveAreaIsShownEquivalent() {
    // differences 1, −1, 0.5, −0.5, 1, −1: every one inside ±5 rSum, TOST p = 1/2⁶
    ClaimVerdict v = curves(curves(new Bench(), T, TRIPLET_LEVELS), U, 101, 101, 99.5, 100.5, 101, 102)
        .study(EPOCH_1).verdict(1);
    assertEquals(Outcome.NOT_SUPPORTED, v.outcome(), v.reason());
    assertTrue(v.datasets().get(0).reason().startsWith("equivalent within ±5.00 rSum (TOST p = 0.0156"),
        v.datasets().get(0).reason());
  }

  @Test
  void claim1InconclusiveWhenNotSignificantWithFiveSeedsButNotEquivalentEither() {
    // issue #16: "no significant difference with 5 seeds" was NOT SUPPORTED — absence of evidence taken as evidence
    ClaimVerdict v = curves(curves(new Bench(), T, 100, 102, 99, 101, 100), U, 123, 92, 99, 88, 112)
        .study(EPOCH_1).verdict(1);
    assertEquals(Outcome.INCONCLUSIVE, v.outcome(), v.reason());
    assertTrue(v.datasets().get(0).reason().startsWith("no evidence either way: not significant with 5 paired"
        + " seeds"), v.datasets().get(0).reason());
  }

  @Test
  void claim1InconclusiveWithoutADifferenceOverTooFewSeeds() {
    ClaimVerdict v = curves(curves(new Bench(), T, 100, 102, 99), U, 103, 100, 100).study(EPOCH_1).verdict(1);
    assertEquals(Outcome.INCONCLUSIVE, v.outcome(), v.reason());
    assertTrue(v.datasets().get(0).reason().startsWith("no evidence either way: not significant with 3 paired"),
        v.datasets().get(0).reason());
  }

  @Test
  void secondaryMeasuresAreReportedWithTheirOutcomeAndDoNotDecide() {
    // 6 seeds each 2 epochs sooner to 90 % of their own best, but the same curve area: Claim 1 rests on the area
    ClaimVerdict v = new Bench()
        .converging(T, new int[]{5, 5, 5, 5, 5, 5}, new double[]{50, 51, 52, 53, 54, 55})
        .converging(U, new int[]{3, 3, 3, 3, 3, 3}, new double[]{50, 51, 52, 53, 54, 55})
        .study(EPOCH_1).verdict(1);
    var epochs = v.datasets().get(0).secondary().get(0);
    assertEquals(dev.lossbench.workers.compare.MeasureKind.DISCRETE, epochs.kind());
    assertEquals(dev.lossbench.workers.compare.Outcome.BETTER, epochs.finding(), "fewer epochs is better");
    assertEquals(0.03125, epochs.difference().p(), 1e-12);
    assertTrue(
        v.outcome() != Outcome.SUPPORTED
            || v.datasets().get(0).finding() == dev.lossbench.workers.compare.Outcome.BETTER,
        "only the curve area decides: " + v.reason());
  }

  @Test
  void claim1InconclusiveWithOnePairedSeedOrWithoutTripletHn() {
    ClaimVerdict one = new Bench()
        .converging(T, new int[]{5}, new double[]{50})
        .converging(U, new int[]{2}, new double[]{90})
        .study(EPOCH_1).verdict(1);
    assertEquals(Outcome.INCONCLUSIVE, one.outcome(), one.reason());
    assertTrue(one.datasets().get(0).reason().startsWith("fewer than 2 seeds have both variants (1)"), one.reason());

    ClaimVerdict none = new Bench()
        .converging(V, new int[]{5, 4, 5}, new double[]{50, 51, 52})
        .converging(U, new int[]{2, 2, 2}, new double[]{90, 91, 92})
        .study(EPOCH_1).verdict(1);
    assertEquals(Outcome.INCONCLUSIVE, none.outcome());
    assertTrue(none.reason().startsWith("cannot judge: no Triplet-HN variant"), none.reason());
  }

  // ---- claim 2: test rSum, judged on the smallest training set ----

  private static Bench twoSubsets(double[] smallU, double[] smallV, double[] largeU, double[] largeV) {
    Bench b = new Bench().dataset("target-1000", 1000L).dataset("target-100", 100L);
    for (int i = 0; i < smallU.length; i++) {
      b.run("target-100", U, i + 1, smallU[i], 100, 110);
      b.run("target-100", V, i + 1, smallV[i], 90, 100);
      b.run("target-1000", U, i + 1, largeU[i], 100, 110);
      b.run("target-1000", V, i + 1, largeV[i], 90, 100);
    }
    return b;
  }

  @Test
  void claim2SupportedWhenSignificantlyBetterOnTheSmallestSubset() {
    ClaimVerdict v = twoSubsets(new double[]{310, 312, 315, 309, 311, 316}, new double[]{300, 301, 303, 299, 300, 305},
        new double[]{400, 398, 405, 401, 399, 404}, new double[]{401, 400, 402, 400, 401, 403})
        .study(StudyOptions.defaults()).verdict(2);
    assertEquals(Outcome.SUPPORTED, v.outcome(), v.reason());
    assertTrue(v.reason().startsWith("judged on target-100, the smallest training set (100 images)"), v.reason());
    assertEquals("target-100", v.datasets().get(0).dataset());
    assertTrue(v.datasets().get(0).decisive());
  }

  @Test
  void claim2NotSupportedWhenSignificantlyWorseOnTheSmallestEvenIfBetterOnMore() {
    ClaimVerdict v = twoSubsets(new double[]{290, 291, 292, 289, 290, 293}, new double[]{300, 301, 303, 299, 300, 304},
        new double[]{410, 412, 415, 411, 410, 414}, new double[]{400, 401, 403, 400, 401, 402})
        .study(StudyOptions.defaults()).verdict(2);
    assertEquals(Outcome.NOT_SUPPORTED, v.outcome(), v.reason());
    assertTrue(v.reason().contains("significantly worse"), v.reason());
    assertEquals(Outcome.SUPPORTED, v.datasets().get(1).outcome(), "the larger subset is context only");
  }

  @Test
  void claim2NotSupportedWhenShownEquivalentWithinTheBound() {
    double[] same = {400, 401, 402, 403, 404};
    ClaimVerdict v = twoSubsets(new double[]{301, 298, 305, 300, 296}, new double[]{300, 301, 303, 297, 299}, same,
        same)
        .study(StudyOptions.defaults()).verdict(2);
    assertEquals(Outcome.NOT_SUPPORTED, v.outcome(), v.reason());
    assertTrue(v.reason().contains("equivalent within ±5.00 rSum (TOST p = "), v.reason());
    // a tighter smallest effect of interest cannot be shown with this noise: no evidence either way
    ClaimVerdict tight = twoSubsets(new double[]{301, 298, 305, 300, 296}, new double[]{300, 301, 303, 297, 299}, same,
        same).study(new StudyOptions(null, null, null, null, null, null, 0.9, 0.05, 1, 1)).verdict(2);
    assertEquals(Outcome.INCONCLUSIVE, tight.outcome(), tight.reason());
  }

  @Test
  void claim2InconclusiveWithoutADifferenceOrEquivalenceOrWithoutVlc() {
    ClaimVerdict v = twoSubsets(new double[]{311, 298, 305}, new double[]{300, 301, 303},
        new double[]{400, 401, 402}, new double[]{400, 401, 402}).study(StudyOptions.defaults()).verdict(2);
    assertEquals(Outcome.INCONCLUSIVE, v.outcome(), v.reason());
    assertTrue(v.reason().contains("no evidence either way: not significant with 3 paired seeds"), v.reason());

    ClaimVerdict none = new Bench().run("scenes", U, 1, 300.0, 1, 2).run("scenes", T, 1, 290.0, 1, 2)
        .study(StudyOptions.defaults()).verdict(2);
    assertEquals(Outcome.INCONCLUSIVE, none.outcome());
    assertTrue(none.reason().startsWith("cannot judge: no VLC variant"), none.reason());
  }

  // ---- choices and edge cases ----

  @Test
  void theJudgedUnifiedVariantIsTheBestOnValidationNotOnTest() {
    StudyResult r = new Bench()
        .run("scenes", "unified:gamma=20", 1, 500.0, 100, 150) // best on test
        .run("scenes", "unified:gamma=20", 2, 500.0, 100, 150)
        .run("scenes", U, 1, 300.0, 100, 200) // best on validation
        .run("scenes", U, 2, 300.0, 100, 200)
        .study(StudyOptions.defaults());
    assertEquals(U, r.judged());
    StudyResult forced = new Bench().run("scenes", "unified:gamma=20", 1, 500.0, 100, 150)
        .run("scenes", U, 1, 300.0, 100, 200)
        .study(StudyOptions.defaults().withUnified("unified:gamma=20"));
    assertEquals("unified:gamma=20", forced.judged());
    assertEquals("option", forced.judgedBy());
  }

  @Test
  void optionsNamingWhatTheBenchmarkLacksAreClearErrors() {
    Bench b = new Bench().run("scenes", U, 1, 300.0, 1, 2);
    var e = assertThrows(Study.StudyException.class,
        () -> b.study(new StudyOptions(null, null, "infonce:tau=0.1", null, null, null, 0.9, 0.05, 5, 1)));
    assertEquals("--vlc infonce:tau=0.1: no such loss variant with succeeded runs of m on the studied datasets;"
        + " variants: unified:gamma=50", e.getMessage());
    var noRuns = assertThrows(Study.StudyException.class,
        () -> Study.compute(new StudyInput("benchmark-x", "x", List.of(), List.of()), StudyOptions.defaults()));
    assertEquals("benchmark x (benchmark-x) has no succeeded runs yet: nothing to study", noRuns.getMessage());
  }

  @Test
  void oneSeedHasNoIntervalAndNoTest() {
    StudyResult r = new Bench().run("scenes", U, 1, 300.0, 50, 100).run("scenes", V, 1, 290.0, 50, 100)
        .study(StudyOptions.defaults());
    var row = r.generalisation("scenes", U).orElseThrow();
    assertEquals(1, row.testRsum().n());
    assertNull(row.testRsum().ciLow());
    assertEquals(10.0, row.vsVlc().meanDifference());
    assertNull(row.vsVlc().p());
    assertEquals(Outcome.INCONCLUSIVE, r.verdict(2).outcome());
  }

  @Test
  void equalDifferencesHaveNoTAndTheExactSignFlipPNeverZero() {
    StudyResult r = new Bench()
        .run("scenes", U, 1, 310.0, 1).run("scenes", U, 2, 320.0, 1)
        .run("scenes", V, 1, 300.0, 1).run("scenes", V, 2, 310.0, 1)
        .run("scenes", T, 1, 310.0, 1).run("scenes", T, 2, 320.0, 1)
        .study(StudyOptions.defaults());
    var vsVlc = r.generalisation("scenes", U).orElseThrow().vsVlc();
    assertNull(vsVlc.tP());
    assertEquals(0.5, vsVlc.p(), "2 of the 4 sign patterns are as extreme");
    assertEquals("sign-flip exact", vsVlc.test());
    assertNull(vsVlc.ciLow(), "with 2 seeds the sign-flip test cannot exclude any value");
    assertEquals(Outcome.INCONCLUSIVE, r.verdict(2).outcome(), r.verdict(2).reason());
    var vsTriplet = r.generalisation("scenes", U).orElseThrow().vsTriplet();
    assertEquals(1.0, vsTriplet.p());
    assertTrue(vsTriplet.note().contains("no difference"), vsTriplet.note());
  }
}
