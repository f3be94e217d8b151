package dev.lossbench.schema.repository;

import static dev.lossbench.schema.repository.Fixtures.BENCHMARK;
import static dev.lossbench.schema.repository.Fixtures.DATASET;
import static dev.lossbench.schema.repository.Fixtures.MODEL;
import static dev.lossbench.schema.repository.Fixtures.epoch;
import static dev.lossbench.schema.repository.Fixtures.result;
import static dev.lossbench.schema.repository.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.ConvergenceRow;
import dev.lossbench.schema.record.LeaderboardRow;
import dev.lossbench.schema.record.LossDeltaRow;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.record.RunStatusRow;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.TestDatabase;
import dev.lossbench.schema.testing.UnfencedWrites;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The views against figures computed by hand. The fixture, on the primary split "test" (other four recalls 70 each):
 *
 * <pre>
 * unified:gamma=50,margin=0.2  seed 1: i2t R@1 40, t2i R@1 30, rSum 350
 *                              seed 2:        42,          31,      353
 *                              seed 3:        47,          35,      362
 *                              seed 4: failed, its result (90, 90, 500) must not count
 *   rSum mean 355, sample std sqrt((25 + 4 + 49) / 2) = sqrt(39); i2t R@1 43 ± sqrt(13); t2i R@1 32 ± sqrt(7)
 * triplet-hn (the baseline)    seeds 1..3: (35, 25, 340), (36, 26, 342), (37, 27, 344): rSum 342 ± 2, R@1 36 ± 1, 26 ± 1
 * infonce:tau=0.05             seed 1 only: (45, 33, 358): std NULL
 * </pre>
 */
@ExtendWith(MetricsStoreExtension.class)
class ReportViewsTest {
  private static final String UNIFIED = "unified:gamma=50,margin=0.2";
  private static final String TRIPLET = "triplet-hn";
  private static final String INFONCE = "infonce:tau=0.05";
  private static final double EPS = 1e-9;

  private final MetricsStore store;

  ReportViewsTest(MetricsStore store) {
    this.store = store;
  }

  @BeforeEach
  void recordFixture() {
    Fixtures.registerBenchmarkAndDataset(store);
    succeeded("u1", UNIFIED, 1, 40, 30, 350);
    succeeded("u2", UNIFIED, 2, 42, 31, 353);
    succeeded("u3", UNIFIED, 3, 47, 35, 362);
    store.runs().register(run("u4", UNIFIED, 4));
    store.runs().start("u4", "gpu-0");
    UnfencedWrites.upsert(store, result("u4", "test", 90, 90, 500));
    store.runs().finish("u4", RunStatus.FAILED, "evaluation crashed after writing");
    succeeded("t1", TRIPLET, 1, 35, 25, 340);
    succeeded("t2", TRIPLET, 2, 36, 26, 342);
    succeeded("t3", TRIPLET, 3, 37, 27, 344);
    succeeded("i1", INFONCE, 1, 45, 33, 358);
    // a second protocol for one run: listed under its own split, not on the primary leaderboard
    UnfencedWrites.upsert(store, result("u1", "coco1k", 50, 40, 370));
  }

  private void succeeded(String id, String variant, long seed, double i2tR1, double t2iR1, double rsum) {
    store.runs().register(run(id, variant, seed));
    store.runs().start(id, "gpu-0");
    UnfencedWrites.upsert(store, result(id, "test", i2tR1, t2iR1, rsum));
    store.runs().finish(id, RunStatus.SUCCEEDED, null);
  }

  @Test
  void leaderboardHasTheMeansAndSampleStandardDeviationsOfSucceededSeeds() {
    List<LeaderboardRow> rows = store.reports().leaderboard(BENCHMARK);

    assertEquals(List.of(INFONCE, UNIFIED, TRIPLET), rows.stream().map(LeaderboardRow::variant).toList(),
        "best mean rSum first");
    LeaderboardRow unified = rows.get(1);
    assertEquals(BENCHMARK, unified.benchmarkId());
    assertEquals("quick", unified.benchmarkName());
    assertEquals(DATASET, unified.datasetId());
    assertEquals(MODEL, unified.model());
    assertEquals("unified", unified.lossName());
    assertEquals("test", unified.split());
    assertTrue(unified.primary());
    assertEquals(3, unified.seeds(), "the failed seed 4 does not count");
    assertEquals(355, unified.rsumMean(), EPS);
    assertEquals(Math.sqrt(39), unified.rsumStd(), EPS);
    assertEquals(43, unified.i2tR1Mean(), EPS);
    assertEquals(Math.sqrt(13), unified.i2tR1Std(), EPS);
    assertEquals(32, unified.t2iR1Mean(), EPS);
    assertEquals(Math.sqrt(7), unified.t2iR1Std(), EPS);
    assertEquals(70, unified.i2tR5Mean(), EPS);
    assertEquals(70, unified.t2iR10Mean(), EPS);
    assertEquals(3, unified.bestSeed());
    assertEquals(362, unified.bestRsum(), EPS);
    assertEquals("u3", unified.bestRunId());

    LeaderboardRow triplet = rows.get(2);
    assertEquals(342, triplet.rsumMean(), EPS);
    assertEquals(2, triplet.rsumStd(), EPS);
    assertEquals(36, triplet.i2tR1Mean(), EPS);
    assertEquals(1, triplet.i2tR1Std(), EPS);
    assertEquals(26, triplet.t2iR1Mean(), EPS);
    assertEquals(1, triplet.t2iR1Std(), EPS);

    LeaderboardRow infonce = rows.get(0);
    assertEquals(1, infonce.seeds());
    assertEquals(358, infonce.rsumMean(), EPS);
    assertNull(infonce.rsumStd(), "one seed has no sample standard deviation");
    assertNull(infonce.i2tR1Std());
    assertNull(infonce.t2iR1Std());
    assertEquals(1, infonce.bestSeed());
  }

  @Test
  void otherSplitsAreListedUnderTheirOwnName() {
    List<LeaderboardRow> coco1k = store.reports().leaderboard(BENCHMARK, "coco1k");

    assertEquals(1, coco1k.size());
    assertEquals(UNIFIED, coco1k.get(0).variant());
    assertFalse(coco1k.get(0).primary());
    assertEquals(1, coco1k.get(0).seeds());
    assertEquals(370, coco1k.get(0).rsumMean(), EPS);
  }

  @Test
  void bestSeedTiesGoToTheLowestSeed() {
    succeeded("e2", "equal", 2, 40, 30, 350);
    succeeded("e1", "equal", 1, 40, 30, 350);

    LeaderboardRow equal = byVariant(store.reports().leaderboard(BENCHMARK), LeaderboardRow::variant).get("equal");

    assertEquals(1, equal.bestSeed());
    assertEquals("e1", equal.bestRunId());
    assertEquals(0, equal.rsumStd(), EPS);
  }

  @Test
  void lossDeltaIsEachVariantsMeanMinusTheBaselines() {
    Map<String, LossDeltaRow> rows = byVariant(store.reports().lossDelta(BENCHMARK), LossDeltaRow::variant);

    assertEquals(3, rows.size());
    assertEquals(355 - 342, rows.get(UNIFIED).rsumDelta(), EPS);
    assertEquals(358 - 342, rows.get(INFONCE).rsumDelta(), EPS);
    assertEquals(0, rows.get(TRIPLET).rsumDelta(), EPS);
    LossDeltaRow unified = rows.get(UNIFIED);
    assertEquals(TRIPLET, unified.baselineVariant());
    assertEquals(342, unified.baselineRsumMean(), EPS);
    assertEquals(3, unified.baselineSeeds());
    assertEquals(3, unified.seeds());
    assertEquals(355, unified.rsumMean(), EPS);
    assertEquals(List.of(INFONCE, UNIFIED, TRIPLET), store.reports().lossDelta(BENCHMARK).stream()
        .map(LossDeltaRow::variant).toList(), "largest gain first");
  }

  @Test
  void theBaselineIsTheOneVariantOfTheBaselineLossWhenNoVariantHasItsExactLabel() {
    Fixtures.registerBenchmark(store, "b-margin", "triplet-hn");
    succeededIn("b-margin", "m1", "triplet-hn:margin=0.2", 1, 340);
    succeededIn("b-margin", "m2", "unified:gamma=50", 1, 350);

    Map<String, LossDeltaRow> rows = byVariant(store.reports().lossDelta("b-margin"), LossDeltaRow::variant);

    assertEquals("triplet-hn:margin=0.2", rows.get("unified:gamma=50").baselineVariant());
    assertEquals(10, rows.get("unified:gamma=50").rsumDelta(), EPS);
  }

  @Test
  void anAmbiguousBaselineGivesNoDelta() {
    Fixtures.registerBenchmark(store, "b-two", "triplet-hn");
    succeededIn("b-two", "a1", "triplet-hn:margin=0.1", 1, 340);
    succeededIn("b-two", "a2", "triplet-hn:margin=0.2", 1, 345);
    succeededIn("b-two", "a3", "unified:gamma=50", 1, 350);

    List<LossDeltaRow> rows = store.reports().lossDelta("b-two");

    assertEquals(3, rows.size());
    rows.forEach(row -> {
      assertNull(row.baselineVariant(), row.variant());
      assertNull(row.rsumDelta(), row.variant());
    });
  }

  @Test
  void aMatrixMayNameAnotherBaseline() {
    Fixtures.registerBenchmark(store, "b-infonce", "infonce");
    succeededIn("b-infonce", "n1", "infonce", 1, 360);
    succeededIn("b-infonce", "n2", "unified:gamma=50", 1, 350);

    Map<String, LossDeltaRow> rows = byVariant(store.reports().lossDelta("b-infonce"), LossDeltaRow::variant);

    assertEquals(-10, rows.get("unified:gamma=50").rsumDelta(), EPS);
  }

  private void succeededIn(String benchmark, String id, String variant, long seed, double rsum) {
    store.runs().register(run(id, benchmark, variant, seed));
    store.runs().start(id, "gpu-0");
    UnfencedWrites.upsert(store, result(id, "test", 40, 30, rsum));
    store.runs().finish(id, RunStatus.SUCCEEDED, null);
  }

  /**
   * Validation rSum per epoch (seeds 1..3 of unified; seed 4 failed and must not count; infonce one seed):
   * epoch 0: 300, 310, 320 → mean 310, std 10, min 300, max 320; train loss 1, 2, 3 → mean 2
   * epoch 1: 330, 333, 345 → mean 336, std sqrt((36 + 9 + 81) / 2) = sqrt(63)
   * epoch 2: 350, 360, not validated → 3 seeds, 2 validated, mean 355, std sqrt(50)
   */
  @Test
  void convergenceHasTheValidationCurveOverSeeds() {
    double[][] valRsum = {{300, 330, 350}, {310, 333, 360}, {320, 345, Double.NaN}};
    for (int seed = 0; seed < 3; seed++) {
      for (int e = 0; e < 3; e++) {
        double v = valRsum[seed][e];
        UnfencedWrites.upsert(store, epoch("u" + (seed + 1), e, seed + 1.0, Double.isNaN(v) ? null : v));
      }
    }
    UnfencedWrites.upsert(store, epoch("u4", 0, Double.NaN, 100.0));
    UnfencedWrites.upsert(store, epoch("i1", 0, 0.5, 305.0));

    Map<String, List<ConvergenceRow>> curves = store.reports().convergence(BENCHMARK).stream()
        .collect(Collectors.groupingBy(ConvergenceRow::variant));

    List<ConvergenceRow> unified = curves.get(UNIFIED);
    assertEquals(List.of(0, 1, 2), unified.stream().map(ConvergenceRow::epoch).toList());
    ConvergenceRow first = unified.get(0);
    assertEquals(3, first.seeds(), "the failed run's epoch does not count");
    assertEquals(310, first.valRsumMean(), EPS);
    assertEquals(10, first.valRsumStd(), EPS);
    assertEquals(300, first.valRsumMin(), EPS);
    assertEquals(320, first.valRsumMax(), EPS);
    assertEquals(2, first.trainLossMean(), EPS);
    assertEquals(336, unified.get(1).valRsumMean(), EPS);
    assertEquals(Math.sqrt(63), unified.get(1).valRsumStd(), EPS);
    ConvergenceRow third = unified.get(2);
    assertEquals(3, third.seeds());
    assertEquals(2, third.validatedSeeds());
    assertEquals(355, third.valRsumMean(), EPS);
    assertEquals(Math.sqrt(50), third.valRsumStd(), EPS);

    ConvergenceRow infonce = curves.get(INFONCE).get(0);
    assertEquals(1, infonce.seeds());
    assertEquals(305, infonce.valRsumMean(), EPS);
    assertNull(infonce.valRsumStd());
  }

  @Test
  void runStatusCountsRunsAndTheirDurations(TestDatabase db) {
    store.runs().register(run("p1", "pending-variant", 1));
    // durations made exact: every succeeded run took 60 s except t1 (120 s); the failed u4 took 30 s
    db.execute(TestDatabase.DATABASE,
        "UPDATE run SET started_at = finished_at - interval '60 seconds' WHERE status = 'succeeded'",
        "UPDATE run SET started_at = finished_at - interval '120 seconds' WHERE id = 't1'",
        "UPDATE run SET started_at = finished_at - interval '30 seconds' WHERE id = 'u4'");

    Map<RunStatus, RunStatusRow> rows = store.reports().runStatus(BENCHMARK).stream()
        .collect(Collectors.toMap(RunStatusRow::status, Function.identity()));

    assertEquals(3, rows.size());
    RunStatusRow succeeded = rows.get(RunStatus.SUCCEEDED);
    assertEquals(7, succeeded.runs());
    assertEquals(7, succeeded.attempts());
    assertEquals((6 * 60 + 120) / 7.0, succeeded.meanSeconds(), 1e-6);
    assertEquals(120, succeeded.maxSeconds(), 1e-6);
    assertEquals(1, rows.get(RunStatus.FAILED).runs());
    assertEquals(30, rows.get(RunStatus.FAILED).maxSeconds(), 1e-6);
    RunStatusRow pending = rows.get(RunStatus.PENDING);
    assertEquals(1, pending.runs());
    assertEquals(0, pending.attempts());
    assertNull(pending.meanSeconds(), "a pending run has not started");
    assertEquals("quick", pending.benchmarkName());
  }

  private static <R> Map<String, R> byVariant(List<R> rows, Function<R, String> variant) {
    return rows.stream().collect(Collectors.toMap(variant, Function.identity()));
  }
}
