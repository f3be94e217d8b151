package dev.lossbench.workers.study;

import static dev.lossbench.workers.study.StudyFixture.INFONCE;
import static dev.lossbench.workers.study.StudyFixture.TRIPLET;
import static dev.lossbench.workers.study.StudyFixture.U20;
import static dev.lossbench.workers.study.StudyFixture.U50;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.TestDatabase;
import dev.lossbench.workers.study.SeedStatistics.Paired;
import dev.lossbench.workers.study.SeedStatistics.Summary;
import dev.lossbench.workers.study.StudyResult.Outcome;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The study of {@link StudyFixture} read back from the real store (recorded and studied once for the
 * class; the extension empties the tables before each test), every figure checked against
 * arithmetic written out here (never Commons Math again). Student-t quantiles and p-values with 1 and 2
 * degrees of freedom have closed forms:
 *
 * <ul>
 *   <li>2 df: F(t) = ½ + t / (2√(2 + t²)), so t(0.975, 2) = √(0.95²·2 / (1 − 0.95²)) = √(1.805 / 0.0975)
 *       (tables: 4.303) and the two-sided p = 1 − |t| / √(2 + t²);
 *   <li>1 df (Cauchy): t(0.975, 1) = tan(0.475π) (tables: 12.706), p = 1 − (2/π)·atan|t|.
 * </ul>
 */
@ExtendWith(MetricsStoreExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StudyStatisticsTest {
  private static final double EPS = 1e-6;
  private static final double T2 = Math.sqrt(1.805 / 0.0975);
  private static final double T1 = Math.tan(0.475 * Math.PI);

  private final MetricsStore store;
  private StudyResult study;

  StudyStatisticsTest(MetricsStore store) {
    this.store = store;
  }

  private static double p2(double t) {
    return 1 - Math.abs(t) / Math.sqrt(2 + t * t);
  }

  private static double p1(double t) {
    return 1 - 2 / Math.PI * Math.atan(Math.abs(t));
  }

  @BeforeAll
  void studyTheFixture(TestDatabase database) {
    database.truncateAllTables(); // other classes' rows may still be there before the first test's emptying
    StudyFixture.record(store);
    study = Study.compute(StudyInput.load(store, StudyFixture.BENCHMARK), StudyOptions.defaults());
  }

  @Test
  void theClosedFormQuantilesMatchTheTables() {
    assertEquals(4.303, T2, 5e-4);
    assertEquals(12.706, T1, 5e-4);
    assertEquals(T2, SeedStatistics.tQuantile(2), 1e-9);
    assertEquals(T1, SeedStatistics.tQuantile(1), 1e-9);
  }

  @Test
  void studiesTheFineTuningStagesAndChoosesTheReferencesAndTheUnifiedVariantOnValidation() {
    assertEquals(List.of("target-150", "target-300"),
        study.datasets().stream().map(StudyInput.StudyDataset::name).toList());
    assertEquals(List.of(150L, 300L), study.datasets().stream().map(StudyInput.StudyDataset::trainImages).toList());
    assertEquals(List.of("source"), study.excludedDatasets());
    assertEquals(TRIPLET, study.triplet());
    assertEquals(INFONCE, study.vlc());
    assertEquals(List.of(U20, U50), study.unifiedVariants());
    // mean best validation rSum over both stages: γ20 (215+214+210+241+236+240)/6 = 226, γ50 1256/6 ≈ 209.3
    assertEquals(U20, study.judged());
    assertEquals("validation", study.judgedBy());
    assertEquals((215 + 214 + 210 + 241 + 236 + 240) / 6.0, selection(U20), EPS);
    assertEquals((195 + 190 + 192 + 225 + 228 + 226) / 6.0, selection(U50), EPS);
  }

  @Test
  void testRsumMeansWithTheirConfidenceIntervals() {
    // infonce on target-150: 330 335 340 → mean 335, sd 5, CI 335 ± t·5/√3
    assertSummary(3, 335, 5, 335 - T2 * 5 / Math.sqrt(3), 335 + T2 * 5 / Math.sqrt(3),
        study.generalisation("target-150", INFONCE).orElseThrow().testRsum());
    // γ20 on target-150: 346 350 353 → mean 1049/3, deviations −11/3, 1/3, 10/3, variance (121+1+100)/9/2 = 111/9
    double mean = 1049 / 3.0;
    double sd = Math.sqrt(111) / 3;
    assertSummary(3, mean, sd, mean - T2 * sd / Math.sqrt(3), mean + T2 * sd / Math.sqrt(3),
        study.generalisation("target-150", U20).orElseThrow().testRsum());
    // infonce on target-300: seed 3 failed, so 370 375 → mean 372.5, sd √12.5, 1 df: CI 372.5 ± T1·√12.5/√2 = ± 2.5·T1
    assertSummary(2, 372.5, Math.sqrt(12.5), 372.5 - 2.5 * T1, 372.5 + 2.5 * T1,
        study.generalisation("target-300", INFONCE).orElseThrow().testRsum());
  }

  @Test
  void testRsumDifferencesArePairedOverTheSeedsBothVariantsHave() {
    // γ20 − infonce on target-150: 16 15 13 → mean 44/3, deviations 4/3 1/3 −5/3, variance 42/9/2 = 21/9
    Paired d = study.generalisation("target-150", U20).orElseThrow().vsVlc();
    double mean = 44 / 3.0;
    double se = Math.sqrt(21) / 3 / Math.sqrt(3);
    double t = mean / se; // = 44/√7 ≈ 16.63
    assertEquals(44 / Math.sqrt(7), t, EPS);
    assertPaired(List.of(1L, 2L, 3L), mean, Math.sqrt(21) / 3, mean - T2 * se, mean + T2 * se, t, p2(t), d);
    assertEquals(0.0036, d.tP(), 5e-5, "the t-test's p, for reference");
    assertEquals(0.25, d.p(), 1e-12, "the deciding exact sign-flip p: 3 seeds, every one ahead");

    // on target-300 infonce seed 3 failed: pairs of seeds 1 and 2 only, 372−370 = 2 and 371−375 = −4
    Paired small = study.generalisation("target-300", U20).orElseThrow().vsVlc();
    // mean −1, sd √((3² + 3²)/1) = √18, se √18/√2 = 3, t = −1/3, 1 df
    assertPaired(List.of(1L, 2L), -1, Math.sqrt(18), -1 - 3 * T1, -1 + 3 * T1, -1 / 3.0, p1(1 / 3.0), small);

    // γ20 − triplet-hn on target-150: 46 40 33 → mean 119/3, deviations 19/3 1/3 −20/3, variance (361+1+400)/9/2 = 381/9
    Paired vsTriplet = study.generalisation("target-150", U20).orElseThrow().vsTriplet();
    double m2 = 119 / 3.0;
    double se2 = Math.sqrt(381) / 3 / Math.sqrt(3);
    assertPaired(List.of(1L, 2L, 3L), m2, Math.sqrt(381) / 3, m2 - T2 * se2, m2 + T2 * se2, m2 / se2, p2(m2 / se2),
        vsTriplet);
    assertNull(study.generalisation("target-150", INFONCE).orElseThrow().vsVlc(), "no difference of VLC to itself");
  }

  @Test
  void epochsAndSecondsToNinetyPercentOfTheBestValidationRsum() {
    // triplet-hn on target-150: 90% of 200 = 180 → epoch 3 (181); of 190 = 171 → epoch 4 (170 < 171); of 205 = 184.5 → 3
    var triplet = study.convergence("target-150", TRIPLET).orElseThrow();
    // 3 4 3: mean 10/3, deviations −1/3 2/3 −1/3, variance 6/9/2 = 1/3, CI ± T2·√(1/3)/√3 = ± T2/3
    assertSummary(3, 10 / 3.0, Math.sqrt(1 / 3.0), 10 / 3.0 - T2 / 3, 10 / 3.0 + T2 / 3, triplet.epochsToThreshold());
    // 10 s per epoch: 30 40 30 → mean 100/3, sd 10/√3, CI ± T2·(10/√3)/√3 = ± 10·T2/3
    assertSummary(3, 100 / 3.0, 10 / Math.sqrt(3), 100 / 3.0 - 10 * T2 / 3, 100 / 3.0 + 10 * T2 / 3,
        triplet.secondsToThreshold());

    // γ20: 90% of 215, 214, 210 = 193.5, 192.6, 189 → epoch 2 every seed (200, 205, 190): no spread, CI [2, 2]
    var unified = study.convergence("target-150", U20).orElseThrow();
    assertSummary(3, 2, 0, 2, 2, unified.epochsToThreshold());
    assertSummary(3, 24, 0, 24, 24, unified.secondsToThreshold());

    // γ20 − triplet-hn: −1 −2 −1 → mean −4/3, variance 1/3, se 1/3, t = −4, p = 1 − 4/√18 ≈ 0.0572 (not significant)
    Paired d = unified.epochsVsTriplet();
    assertPaired(List.of(1L, 2L, 3L), -4 / 3.0, Math.sqrt(1 / 3.0), -4 / 3.0 - T2 / 3, -4 / 3.0 + T2 / 3, -4,
        1 - 4 / Math.sqrt(18), d);
    assertEquals(0.0572, d.tP(), 5e-5, "the t-test's p, for reference");
    assertEquals(0.25, d.p(), 1e-12, "the deciding exact sign-flip p");
  }

  @Test
  void validationRsumAtTheEarlyEpochs() {
    var unified = study.convergence("target-150", U20).orElseThrow();
    assertEquals(List.of(1, 2), unified.early().stream().map(StudyResult.Early::epoch).toList());
    // epoch 1: 170 180 160 → mean 170, sd 10
    assertSummary(3, 170, 10, 170 - T2 * 10 / Math.sqrt(3), 170 + T2 * 10 / Math.sqrt(3),
        unified.early().get(0).rsum());
    // γ20 − triplet-hn at epoch 1: 70 90 50 → mean 70, sd 20, se 20/√3, t = 3.5√3 ≈ 6.06, p ≈ 0.026
    double se = 20 / Math.sqrt(3);
    Paired e1 = unified.early().get(0).vsTriplet();
    assertPaired(List.of(1L, 2L, 3L), 70, 20, 70 - T2 * se, 70 + T2 * se, 3.5 * Math.sqrt(3), p2(3.5 * Math.sqrt(3)),
        e1);
    assertEquals(0.0261, e1.tP(), 5e-5);
    // the deciding test: every difference positive with 3 pairs, the exact sign-flip p is 2 · 1/2³
    assertEquals(0.25, e1.p(), EPS);
    // epoch 2: 50 65 30 → mean 145/3, deviations 5/3 50/3 −55/3, variance (25+2500+3025)/9/2 = 2775/9
    Paired e2 = unified.early().get(1).vsTriplet();
    double se2 = Math.sqrt(2775) / 3 / Math.sqrt(3);
    double t2 = 145 / 3.0 / se2;
    assertPaired(List.of(1L, 2L, 3L), 145 / 3.0, Math.sqrt(2775) / 3, 145 / 3.0 - T2 * se2, 145 / 3.0 + T2 * se2, t2,
        p2(t2), e2);
  }

  @Test
  void verdictsFollowFromThoseNumbers() {
    var claim1 = study.verdict(1);
    // the curve area decides, judged among 2 candidates (γ20, γ50) × 2 datasets: Holm over 4 p-values; with 3 seeds
    // the exact test cannot go below 0.25 and nothing is shown equivalent → no evidence either way
    assertEquals(Outcome.INCONCLUSIVE, claim1.outcome(), claim1.reason());
    assertEquals("triplet-hn (plain Triplet-HN, no warm-up)", claim1.against());
    assertEquals(4, claim1.family());
    assertTrue(claim1.reason().endsWith("[Holm over 4 p-values: 2 unified candidates (chosen on validation) × 2"
        + " datasets]"), claim1.reason());
    assertEquals(List.of(Outcome.INCONCLUSIVE, Outcome.INCONCLUSIVE),
        claim1.datasets().stream().map(v -> v.outcome()).toList());

    var claim2 = study.verdict(2);
    // judged on target-150 (150 images): +44/3, every seed ahead: sign-flip p = 0.25 (t-test p ≈ 0.0036, shown);
    // Holm over the 2 candidates: 0.5 → inconclusive; target-300 is context
    assertEquals(Outcome.INCONCLUSIVE, claim2.outcome(), claim2.reason());
    assertEquals(2, claim2.family());
    assertTrue(claim2.reason().startsWith("judged on target-150, the smallest training set (150 images)"),
        claim2.reason());
    assertTrue(claim2.reason().contains("+14.7 [unbounded], sign-flip p = 0.25 (t-test p = 0.0036, for reference),"
        + " Holm-adjusted p = 0.5 ≥ 0.05, n = 3"), claim2.reason());
    assertEquals(List.of(true, false), claim2.datasets().stream().map(v -> v.decisive()).toList());
    // γ20 is VLC's τ = 0.05 = 1/20 with a margin: the same comparison, but only γ20 has a matched VLC (family 1)
    var matched = study.verdicts(2).get(1);
    assertEquals(INFONCE + " (VLC at τ = 1/γ of " + U20 + ": isolates the margin)", matched.against());
    assertEquals(1, matched.family());
    assertEquals(Outcome.INCONCLUSIVE, matched.outcome(), matched.reason());
  }

  private double selection(String variant) {
    return study.selection().stream().filter(s -> s.variant().equals(variant)).findFirst().orElseThrow()
        .meanBestValidationRsum();
  }

  private static void assertSummary(int n, double mean, double sd, double low, double high, Summary s) {
    assertEquals(n, s.n());
    assertEquals(mean, s.mean(), EPS, "mean");
    assertEquals(sd, s.sd(), EPS, "sd");
    assertEquals(low, s.ciLow(), EPS, "CI low");
    assertEquals(high, s.ciHigh(), EPS, "CI high");
  }

  private static void assertPaired(List<Long> seeds, double mean, double sd, double low, double high, double t,
      double p,
      Paired d) {
    assertEquals(seeds, d.seeds());
    assertEquals(seeds.size(), d.n());
    assertEquals(mean, d.meanDifference(), EPS, "mean difference");
    assertEquals(sd, d.sdDifference(), EPS, "sd of the differences");
    // the t-test's p (from t, hand-computed) is shown for reference; the sign-flip interval is unbounded with n ≤ 5
    assertEquals(p, d.tP(), EPS, "t-test p");
    assertTrue(d.n() > 5 || d.ciLow() == null && d.ciHigh() == null, "CI unbounded");
  }
}
