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
      return Study.compute(new StudyInput("benchmark-x", "x", datasets, runs), options);
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
        .add("unified:margin=0", repeat(300, 5), new double[] {310, 312, 309, 311, 313})
        .add("unified:margin=0.2", repeat(250, 5), new double[] {301, 299, 303, 297, 305})
        .add(VLC, repeat(280, 5), new double[] {300, 301, 302, 299, 303})
        .study(StudyOptions.defaults());
    assertEquals(List.of("unified:margin=0.2"), r.candidates());
    assertEquals("unified:margin=0.2", r.judged());
    assertFalse(r.verdict(2).outcome() == Outcome.SUPPORTED, r.verdict(2).reason());

    StudyResult onlyZero = new Runs()
        .add("unified:margin=0", repeat(300, 5), new double[] {310, 312, 309, 311, 313})
        .add(VLC, repeat(280, 5), new double[] {300, 301, 302, 299, 303})
        .study(StudyOptions.defaults());
    assertNull(onlyZero.judged());
    assertEquals(Outcome.INCONCLUSIVE, onlyZero.verdict(2).outcome());
    assertTrue(onlyZero.verdict(2).reason().startsWith("cannot judge: no unified variant with a margin m > 0"),
        onlyZero.verdict(2).reason());
    Runs named = new Runs().add("unified:margin=0", repeat(300, 2), new double[] {1, 2});
    var e = assertThrows(Study.StudyException.class, () -> named.study(StudyOptions.defaults().withUnified("unified:margin=0")));
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
        .add("triplet-hn", new double[] {200, 210}, new double[] {300, 310})
        .add(VLC, new double[] {200, 210}, new double[] {300, 310})
        .add("unified", new double[] {230, 240}, new double[] {320, 330})
        .study(StudyOptions.defaults());
    assertEquals(Outcome.INCONCLUSIVE, r.verdict(1).outcome(), r.verdict(1).reason());
    assertEquals(Outcome.INCONCLUSIVE, r.verdict(2).outcome(), r.verdict(2).reason());
    assertTrue(r.verdict(2).reason().contains("no t (the differences do not vary), exact sign-flip p = 0.5"),
        r.verdict(2).reason());
  }

  // ---- 3: selection and multiplicity ----

  @Test
  void choosingAmongCandidatesCostsAHolmCorrection() {
    // the chosen variant beats VLC with raw p = 0.030; chosen among 2 candidates its Holm-adjusted p is 0.060
    Runs runs = new Runs()
        .add("unified:gamma=20", repeat(300, 5), new double[] {305, 302, 308, 300, 307})
        .add("unified", repeat(250, 5), new double[] {300, 301, 302, 299, 303})
        .add(VLC, repeat(280, 5), new double[] {300, 301, 302, 299, 303});
    StudyResult chosen = runs.study(StudyOptions.defaults());
    assertEquals("unified:gamma=20", chosen.judged());
    ClaimVerdict v = chosen.verdict(2);
    assertEquals(2, v.family());
    assertEquals(Outcome.INCONCLUSIVE, v.outcome(), v.reason());
    assertTrue(v.reason().contains("p = 0.0299, Holm-adjusted p = 0.0597 ≥ 0.05"), v.reason());
    ClaimVerdict preRegistered = runs.study(StudyOptions.defaults().withUnified("unified:gamma=20")).verdict(2);
    assertEquals(1, preRegistered.family());
    assertEquals(Outcome.SUPPORTED, preRegistered.outcome(), preRegistered.reason());
  }

  @Test
  void claimOnesMeasuresAreCorrectedTogether() {
    StudyResult r = new Runs()
        .add("triplet-hn", repeat(200, 5), repeat(300, 5))
        .add("unified", new double[] {204, 201, 207, 199, 206}, repeat(300, 5))
        .study(StudyOptions.defaults());
    assertEquals(3, r.verdict(1).family(), "epochs to 90 % and validation rSum at epochs 1 and 2");
  }

  @Test
  void holmMultipliesTheSortedPValuesAndKeepsThemMonotone() {
    Double[] adjusted = Holm.adjust(new Double[] {0.01, 0.04, null, 0.03});
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
        .add("unified:gamma=20,margin=0.2", repeat(300, 5), new double[] {311, 312, 310, 313, 309})
        .add(VLC, repeat(250, 5), new double[] {300, 301, 302, 299, 303})
        .add("infonce:tau=0.02", repeat(280, 5), new double[] {320, 321, 322, 319, 323})
        .study(StudyOptions.defaults());
    assertEquals("infonce:tau=0.02", r.vlc(), "the best VLC on validation");
    List<ClaimVerdict> claim2 = r.verdicts(2);
    assertEquals(Outcome.NOT_SUPPORTED, claim2.get(0).outcome(), claim2.get(0).reason());
    assertEquals(VLC + " (VLC at τ = 1/γ of unified:gamma=20,margin=0.2: isolates the margin)", claim2.get(1).against());
    assertEquals(Outcome.SUPPORTED, claim2.get(1).outcome(), claim2.get(1).reason());
  }

  // ---- 5: test data used for selection ----

  @Test
  void aDatasetValidatingOnItsTestSplitMarksTheVerdictsTestSelected() {
    Runs runs = new Runs()
        .add(VLC, repeat(250, 3), new double[] {300, 301, 302})
        .add("unified", repeat(300, 3), new double[] {310, 312, 311});
    runs.datasets.set(0, new StudyDataset("d", "d", 100L, null, true));
    StudyResult r = runs.study(StudyOptions.defaults());
    assertTrue(r.testSelected());
    assertTrue(r.verdicts().stream().allMatch(ClaimVerdict::testSelected));
    assertFalse(new Runs().add(VLC, repeat(250, 3), new double[] {300, 301, 302})
        .add("unified", repeat(300, 3), new double[] {310, 312, 311}).study(StudyOptions.defaults()).testSelected());
  }

  // ---- numerics ----

  @Test
  void differencesSummingToZeroGivePOne() {
    // differences +1, −2, −3, +4: every sign pattern has |sum| ≥ 0
    Paired p = SeedStatistics.paired(Map.of(1L, 1.0, 2L, -2.0, 3L, -3.0, 4L, 4.0), Map.of(1L, 0.0, 2L, 0.0, 3L, 0.0, 4L, 0.0),
        MeasureKind.CONTINUOUS, 5, 0.05);
    assertEquals(1.0, p.p());
  }
}
