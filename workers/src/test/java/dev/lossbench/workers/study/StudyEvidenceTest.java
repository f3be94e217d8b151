package dev.lossbench.workers.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.workers.compare.MeasureKind;
import dev.lossbench.workers.study.SeedStatistics.Paired;
import dev.lossbench.workers.study.StudyInput.EpochPoint;
import dev.lossbench.workers.study.StudyInput.StudyDataset;
import dev.lossbench.workers.study.StudyInput.StudyRun;
import dev.lossbench.workers.study.StudyResult.ClaimVerdict;
import dev.lossbench.workers.study.StudyResult.Outcome;
import dev.lossbench.workflows.matrix.AnalysisPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #21's inputs, exactly: evidence that gets weaker never gets a stronger verdict, an integer measure is decided
 * by the exact test, and floating-point noise is not certainty.
 */
class StudyEvidenceTest {
  private static final String TRIPLET = "triplet-hn";
  private static final String VLC = "infonce:tau=0.05";
  private static final String UNIFIED = "unified:gamma=20,margin=0.2";

  /** Claim 1 decided on epochs to 90 % of the run's own best, as a matrix may pre-register it. */
  private static final Preregistration ON_EPOCHS = new Preregistration(new AnalysisPlan(0.05, Map.of(),
      Preregistration.EPOCHS_TO_OWN_BEST, List.of(UNIFIED), List.of("rsum", Preregistration.EPOCHS_TO_OWN_BEST)));

  /** A run whose validation rSum first reaches 90 % of its best (300, at epoch 8) at {@code epoch}. */
  private static List<EpochPoint> reaching(int epoch) {
    List<EpochPoint> points = new ArrayList<>();
    for (int e = 1; e <= 8; e++) {
      points.add(new EpochPoint(e, e == 8 ? 300.0 : e >= epoch ? 280.0 : 200.0, 1));
    }
    return points;
  }

  private static StudyResult epochsStudy(int[] unified, int[] triplet) {
    List<StudyRun> runs = new ArrayList<>();
    for (int s = 0; s < unified.length; s++) {
      runs.add(new StudyRun("u" + s, "d", "m", "unified", UNIFIED, s + 1, reaching(unified[s]), 300.0));
      runs.add(new StudyRun("t" + s, "d", "m", "triplet-hn", TRIPLET, s + 1, reaching(triplet[s]), 300.0));
    }
    return Study.compute(new StudyInput("benchmark-e", "e", List.of(new StudyDataset("d", "d", 100L, null)), runs,
        ON_EPOCHS), StudyOptions.defaults());
  }

  @Test
  void fourSeedsFasterAndOneTiedNeverGetsAStrongerVerdictThanFiveSeedsFaster() {
    StudyResult five = epochsStudy(new int[]{3, 3, 3, 3, 3}, new int[]{4, 4, 4, 4, 4});
    StudyResult fourAndTie = epochsStudy(new int[]{3, 3, 3, 3, 4}, new int[]{4, 4, 4, 4, 4});
    Paired strong = five.convergence("d", UNIFIED).orElseThrow().epochsVsTriplet();
    Paired weak = fourAndTie.convergence("d", UNIFIED).orElseThrow().epochsVsTriplet();
    assertEquals(0.0625, strong.p(), 1e-12, "2/2^5: the smallest p 5 seeds can give");
    assertEquals(0.125, weak.p(), 1e-12, "the tie counts against a rejection");
    assertTrue(weak.p() >= strong.p());
    assertEquals(0.0161, weak.tP(), 5e-5, "the t-test's p, shown for reference, said SUPPORTED before");
    assertEquals(Outcome.INCONCLUSIVE, five.verdict(1).outcome(), five.verdict(1).reason());
    assertEquals(Outcome.INCONCLUSIVE, fourAndTie.verdict(1).outcome(), fourAndTie.verdict(1).reason());
    assertTrue(rank(fourAndTie.verdict(1)) <= rank(five.verdict(1)));
  }

  // SUPPORTED above INCONCLUSIVE above NOT SUPPORTED: how strongly a verdict favours the claim
  private static int rank(ClaimVerdict v) {
    return v.outcome() == Outcome.SUPPORTED ? 2 : v.outcome() == Outcome.INCONCLUSIVE ? 1 : 0;
  }

  @Test
  void theReadmesTarget300EpochDifferencesAreNotSupportedAtFivePercent() {
    // {−1, −2, −2, −1, −2}: paired t p = 0.0028, exact p = 0.0625
    StudyResult r = epochsStudy(new int[]{3, 2, 2, 3, 2}, new int[]{4, 4, 4, 4, 4});
    Paired d = r.convergence("d", UNIFIED).orElseThrow().epochsVsTriplet();
    assertEquals(-1.6, d.meanDifference(), 1e-12);
    assertEquals(0.0625, d.p(), 1e-12);
    assertEquals(0.0028, d.tP(), 5e-5);
    assertEquals(MeasureKind.DISCRETE, d.kind());
    assertNotEquals(Outcome.SUPPORTED, r.verdict(1).outcome(), r.verdict(1).reason());
    String reason = r.verdict(1).datasets().get(0).reason();
    assertTrue(reason.contains("sign-flip p = 0.0625 (t-test p = 0.0028"), reason);
  }

  @Test
  void twoSeedsWhoseDifferencesDifferOnlyByRoundingGiveHalfAndInconclusive() {
    // the case had differences equal up to 7e-15; these, up to 2.8e-14 (one ulp of 342.6)
    double[] vlc = {176.9, 319.5};
    double[] unified = {176.9 + 23.1, 319.5 + 23.1};
    double d1 = unified[0] - vlc[0];
    double d2 = unified[1] - vlc[1];
    assertNotEquals(d1, d2, "the differences are not exactly equal");
    assertTrue(Math.abs(d1 - d2) < 1e-13, "they differ by rounding: " + (d1 - d2));
    List<StudyRun> runs = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      runs.add(new StudyRun("u" + s, "d", "m", "unified", UNIFIED, s + 1, reaching(3), unified[s]));
      runs.add(new StudyRun("v" + s, "d", "m", "infonce", VLC, s + 1, reaching(3), vlc[s]));
    }
    StudyResult r = Study.compute(new StudyInput("benchmark-n", "n", List.of(new StudyDataset("d", "d", 100L, null)),
        runs), StudyOptions.defaults());
    Paired p = r.generalisation("d", UNIFIED).orElseThrow().vsVlc();
    assertEquals(0.5, p.p(), 1e-12);
    assertEquals(Outcome.INCONCLUSIVE, r.verdict(2).outcome(), r.verdict(2).reason());
    assertEquals(Outcome.INCONCLUSIVE, r.verdicts(2).get(1).outcome(), "against VLC at τ = 1/γ too");
  }
}
