package dev.lossbench.workers.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.workers.compare.Holm;
import dev.lossbench.workers.compare.MeasureKind;
import dev.lossbench.workers.study.SeedStatistics.Paired;
import dev.lossbench.workers.study.StudyInput.EpochPoint;
import dev.lossbench.workers.study.StudyInput.StudyDataset;
import dev.lossbench.workers.study.StudyInput.StudyRun;
import dev.lossbench.workers.study.StudyResult.ClaimVerdict;
import dev.lossbench.workers.study.StudyResult.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reproducers of issue #16 ("Honest verdicts"), each with the corrected result. */
class StudyHonestyTest {
  private static final String VLC = "infonce:tau=0.05";

  /** In-memory runs on one dataset; validation curve {@code [v1, v2, best]}, one second per epoch. */
  private static final class Runs {
    final List<StudyDataset> datasets = new ArrayList<>(List.of(new StudyDataset("d", "d", 100L, null)));
    final List<StudyRun> runs = new ArrayList<>();

    Runs add(String variant, double[] best, double[] test) {
      for (int i = 0; i < test.length; i++) {
        List<EpochPoint> epochs = List.of(new EpochPoint(1, best[i] - 50, 1), new EpochPoint(2, best[i] - 20, 1),
            new EpochPoint(3, best[i], 1));
        String loss = variant.contains(":") ? variant.substring(0, variant.indexOf(':')) : variant;
        runs.add(new StudyRun("d-" + variant + "-" + (i + 1), "d", "m", loss, variant, i + 1, epochs, test[i]));
      }
      return this;
    }

    StudyResult study(StudyOptions options) {
      return Study.compute(input(), options);
    }

    StudyInput input() {
      return new StudyInput("benchmark-x", "x", datasets, runs);
    }
  }

  private static double[] repeat(double v, int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  // ---- 1: the judged "unified" variant could be VLC ----

  @Test
  void marginZeroIsVlcAndIsNeverJudgedAsTheUnifiedLoss() {
    // unified:margin=0 is best on validation and 10 rSum above infonce:tau=0.05 on test: it used to be judged, SUPPORTED
    StudyResult r = new Runs()
        .add("unified:margin=0", repeat(300, 5), new double[]{310, 312, 309, 311, 313})
        .add("unified:margin=0.2", repeat(250, 5), new double[]{301, 299, 303, 297, 305})
        .add(VLC, repeat(280, 5), new double[]{300, 301, 302, 299, 303})
        .study(StudyOptions.defaults());
    assertEquals(List.of("unified:margin=0.2"), r.candidates());
    assertEquals("unified:margin=0.2", r.judged());
    assertFalse(r.verdict(2).outcome() == Outcome.SUPPORTED, r.verdict(2).reason());

    StudyResult onlyZero = new Runs()
        .add("unified:margin=0", repeat(300, 5), new double[]{310, 312, 309, 311, 313})
        .add(VLC, repeat(280, 5), new double[]{300, 301, 302, 299, 303})
        .study(StudyOptions.defaults());
    assertNull(onlyZero.judged());
    assertEquals(Outcome.INCONCLUSIVE, onlyZero.verdict(2).outcome());
    assertTrue(onlyZero.verdict(2).reason().startsWith("cannot judge: no unified variant with a margin m > 0"),
        onlyZero.verdict(2).reason());
    Runs named = new Runs().add("unified:margin=0", repeat(300, 2), new double[]{1, 2});
    var e = assertThrows(Study.StudyException.class,
        () -> named.study(StudyOptions.defaults().withUnified("unified:margin=0")));
    assertTrue(e.getMessage().contains("not a unified variant with a margin m > 0"), e.getMessage());
  }

  // ---- 2: zero variance was called significant ----

  @Test
  void equalDifferencesGiveTheExactSignFlipPNotZero() {
    Paired p = SeedStatistics.paired(Map.of(1L, 2.0, 2L, 2.0), Map.of(1L, 3.0, 2L, 3.0), MeasureKind.CONTINUOUS, 5,
        0.05);
    assertNull(p.tP(), "no t-test without variance");
    assertEquals(0.5, p.p());
    assertEquals("sign-flip exact", p.test());
    Paired five = SeedStatistics.paired(Map.of(1L, 2.0, 2L, 2.0, 3L, 2.0, 4L, 2.0, 5L, 2.0),
        Map.of(1L, 3.0, 2L, 3.0, 3L, 3.0, 4L, 3.0, 5L, 3.0), MeasureKind.CONTINUOUS, 5, 0.05);
    assertEquals(0.0625, five.p(), 1e-12);
  }

  @Test
  void aTwoSeedStudyWithConstantDifferencesSupportsNeitherClaim() {
    StudyResult r = new Runs()
        .add("triplet-hn", new double[]{200, 210}, new double[]{300, 310})
        .add(VLC, new double[]{200, 210}, new double[]{300, 310})
        .add("unified", new double[]{230, 240}, new double[]{320, 330})
        .study(StudyOptions.defaults());
    assertEquals(Outcome.INCONCLUSIVE, r.verdict(1).outcome(), r.verdict(1).reason());
    assertEquals(Outcome.INCONCLUSIVE, r.verdict(2).outcome(), r.verdict(2).reason());
    assertTrue(r.verdict(2).reason().contains("sign-flip p = 0.5 ≥ 0.05, n = 2"), r.verdict(2).reason());
  }

  // ---- 3: selection and multiplicity ----

  @Test
  void choosingAmongCandidatesCostsAHolmCorrection() {
    // 6 seeds, every one ahead of VLC: raw sign-flip p = 2/2⁶ = 0.03125; chosen among 2 candidates, Holm: 0.0625
    Runs runs = new Runs()
        .add("unified:gamma=20", repeat(300, 6), new double[]{305, 302, 308, 300, 307, 306})
        .add("unified", repeat(250, 6), new double[]{300, 301, 302, 299, 303, 300})
        .add(VLC, repeat(280, 6), new double[]{300, 301, 302, 299, 303, 301});
    StudyResult chosen = runs.study(StudyOptions.defaults());
    assertEquals("unified:gamma=20", chosen.judged());
    ClaimVerdict v = chosen.verdict(2);
    assertEquals(2, v.family());
    assertEquals(Outcome.INCONCLUSIVE, v.outcome(), v.reason());
    assertTrue(v.reason().contains("sign-flip p = 0.0313"), v.reason());
    assertTrue(v.reason().contains("Holm-adjusted p = 0.0625 ≥ 0.05"), v.reason());
    // named at study time, after the runs exist: still corrected
    assertEquals(2, runs.study(StudyOptions.defaults().withUnified("unified:gamma=20")).verdict(2).family());
    // pre-registered in the matrix: no correction for choosing
    StudyInput in = runs.input();
    StudyResult registered = Study.compute(new StudyInput(in.benchmarkId(), in.benchmarkName(), in.datasets(),
        in.runs(), new Preregistration(new dev.lossbench.workflows.matrix.AnalysisPlan(0.05, Map.of(),
            Preregistration.CURVE_AREA, List.of("unified:gamma=20"), List.of("rsum")))),
        StudyOptions.defaults());
    assertEquals(1, registered.verdict(2).family());
    assertEquals(Outcome.SUPPORTED, registered.verdict(2).outcome(), registered.verdict(2).reason());
  }

  @Test
  void claimOneRestsOnOneMeasure() {
    StudyResult r = new Runs()
        .add("triplet-hn", repeat(200, 5), repeat(300, 5))
        .add("unified", new double[]{204, 201, 207, 199, 206}, repeat(300, 5))
        .study(StudyOptions.defaults());
    assertEquals(1, r.verdict(1).family(), "one measure fixed in advance decides Claim 1: the curve area");
    assertEquals(3, r.verdict(1).datasets().get(0).secondary().size(),
        "epochs to 90 % and validation rSum at epochs 1 and 2 are reported beside it");
  }

  @Test
  void holmMultipliesTheSortedPValuesAndKeepsThemMonotone() {
    Double[] adjusted = Holm.adjust(new Double[]{0.01, 0.04, null, 0.03});
    assertEquals(0.03, adjusted[0], 1e-12);
    assertEquals(0.06, adjusted[1], 1e-12);
    assertNull(adjusted[2]);
    assertEquals(0.06, adjusted[3], 1e-12);
  }

  // ---- 4: the Triplet-HN reference ----

  @Test
  void triplethnWithVseInfinitysWarmUpIsTheReferenceAndPlainIsJudgedToo() {
    StudyResult r = new Runs()
        .add("triplet-hn", repeat(200, 3), repeat(300, 3))
        .add("triplet-hn:warmup_epochs=1", repeat(220, 3), repeat(310, 3))
        .add("unified", repeat(240, 3), repeat(320, 3))
        .study(StudyOptions.defaults());
    assertEquals("triplet-hn:warmup_epochs=1", r.triplet());
    assertEquals("triplet-hn", r.plainTriplet());
    List<ClaimVerdict> claim1 = r.verdicts(1);
    assertEquals(2, claim1.size());
    assertTrue(claim1.get(0).primary());
    assertEquals("triplet-hn:warmup_epochs=1 (Triplet-HN with warm-up, VSE∞'s recipe)", claim1.get(0).against());
    assertEquals("triplet-hn (plain Triplet-HN, no warm-up)", claim1.get(1).against());
  }

  @Test
  void aWarmUpVariantAloneIsJudgedNotCannotJudge() {
    // paper-coco/flickr30k/msrvtt spell it triplet-hn:margin=0.2,warmup_epochs=1 (0.2 is the default, so the label drops it)
    StudyResult r = new Runs()
        .add("triplet-hn:warmup_epochs=1", repeat(220, 3), repeat(310, 3))
        .add("unified", repeat(240, 3), repeat(320, 3))
        .study(StudyOptions.defaults());
    assertEquals("triplet-hn:warmup_epochs=1", r.triplet());
    assertFalse(r.verdict(1).reason().startsWith("cannot judge"), r.verdict(1).reason());
  }

  // ---- 2 ways for claim 2 ----

  @Test
  void claimTwoIsAlsoJudgedAgainstVlcAtTheMatchingTemperature() {
    StudyResult r = new Runs()
        .add("unified:gamma=20,margin=0.2", repeat(300, 7), new double[]{311, 312, 310, 313, 309, 312, 311})
        .add(VLC, repeat(250, 7), new double[]{300, 301, 302, 299, 303, 301, 300})
        .add("infonce:tau=0.02", repeat(280, 7), new double[]{320, 321, 322, 319, 323, 321, 320})
        .study(StudyOptions.defaults());
    assertEquals("infonce:tau=0.02", r.vlc(), "the best VLC on validation");
    List<ClaimVerdict> claim2 = r.verdicts(2);
    assertEquals(Outcome.NOT_SUPPORTED, claim2.get(0).outcome(), claim2.get(0).reason());
    assertEquals(VLC + " (VLC at τ = 1/γ of unified:gamma=20,margin=0.2: isolates the margin)",
        claim2.get(1).against());
    assertEquals(Outcome.SUPPORTED, claim2.get(1).outcome(), claim2.get(1).reason());
    // Claim 2 per γ: at τ = 1/γ (0.05 = 1/20) it holds, away from it (τ·γ = 0.4) it does not
    List<StudyResult.GammaRow> byGamma = r.claim2ByGamma();
    assertEquals(List.of("infonce:tau=0.02", VLC), byGamma.stream().map(StudyResult.GammaRow::vlc).toList());
    assertEquals(List.of(false, true), byGamma.stream().map(StudyResult.GammaRow::matched).toList());
    assertEquals(0.4, byGamma.get(0).tauTimesGamma(), 1e-12);
    assertEquals(Outcome.NOT_SUPPORTED, byGamma.get(0).outcome());
    assertEquals(Outcome.SUPPORTED, byGamma.get(1).outcome(), "7 seeds: 2/2⁷, Holm over the 2 rows: 0.031 < 0.05");
  }

  // ---- 5: test data used for selection ----

  @Test
  void aDatasetValidatingOnItsTestSplitMarksTheVerdictsTestSelected() {
    Runs runs = new Runs()
        .add(VLC, repeat(250, 3), new double[]{300, 301, 302})
        .add("unified", repeat(300, 3), new double[]{310, 312, 311});
    runs.datasets.set(0, new StudyDataset("d", "d", 100L, null, true));
    StudyResult r = runs.study(StudyOptions.defaults());
    assertTrue(r.testSelected());
    assertTrue(r.verdicts().stream().allMatch(ClaimVerdict::testSelected));
    assertFalse(new Runs().add(VLC, repeat(250, 3), new double[]{300, 301, 302})
        .add("unified", repeat(300, 3), new double[]{310, 312, 311}).study(StudyOptions.defaults()).testSelected());
  }

  // ---- numerics ----

  @Test
  void differencesSummingToZeroGivePOne() {
    // differences +1, −2, −3, +4: every sign pattern has |sum| ≥ 0
    Paired p = SeedStatistics.paired(Map.of(1L, 1.0, 2L, -2.0, 3L, -3.0, 4L, 4.0),
        Map.of(1L, 0.0, 2L, 0.0, 3L, 0.0, 4L, 0.0),
        MeasureKind.CONTINUOUS, 5, 0.05);
    assertEquals(1.0, p.p());
  }
}
