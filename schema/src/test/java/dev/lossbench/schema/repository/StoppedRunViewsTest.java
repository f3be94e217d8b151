package dev.lossbench.schema.repository;

import static dev.lossbench.schema.repository.Fixtures.DATASET;
import static dev.lossbench.schema.repository.Fixtures.MODEL;
import static dev.lossbench.schema.repository.Fixtures.epoch;
import static dev.lossbench.schema.repository.Fixtures.json;
import static dev.lossbench.schema.repository.Fixtures.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.BenchmarkCompute;
import dev.lossbench.schema.record.BenchmarkDefinition;
import dev.lossbench.schema.record.ConvergenceRow;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.schema.record.LeaderboardRow;
import dev.lossbench.schema.record.RunDefinition;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.record.RunStatusRow;
import dev.lossbench.schema.record.VariantRuns;
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
 * The views on an adaptive benchmark (V11's stopped runs), against figures computed by hand. Four epochs per cell;
 * the matrix has sequential seeds {min 2, max 4} (its adaptive block) and lists its 4 variants at 2 seeds (8 cells):
 *
 * <pre>
 * triplet-hn (baseline)  seeds 1, 2 succeeded                      test rSum 340, 344
 * unified:gamma=20       seeds 1, 2, 3 succeeded (a third seed)    test rSum 360, 362, 364
 * infonce:tau=0.05       seed 1 succeeded, seed 2 stopped at 1     (a variant with a succeeded seed stays ranked)
 * unified:gamma=5        seeds 1, 2 stopped at rung 2              val rSum at epoch index 1: 250, 262 → 256 ± √72
 * </pre>
 *
 * Every run's attempt recorded the epochs it trained: 4 per succeeded run, the rung's per stopped run.
 */
@ExtendWith(MetricsStoreExtension.class)
class StoppedRunViewsTest {
  private static final String BENCHMARK = "adaptive-5c0ffe";
  private static final String FULL = "full-5c0ffe";
  private static final String TRIPLET = "triplet-hn";
  private static final String UNIFIED_20 = "unified:gamma=20";
  private static final String INFONCE = "infonce:tau=0.05";
  private static final String UNIFIED_5 = "unified:gamma=5";
  private static final int EPOCHS = 4;
  private static final double EPS = 1e-9;

  private final MetricsStore store;
  private final TestDatabase db;

  StoppedRunViewsTest(MetricsStore store, TestDatabase db) {
    this.store = store;
    this.db = db;
  }

  @BeforeEach
  void recordTheAdaptiveBenchmark() {
    // as SpecJson stores an adaptive matrix: the seeds listed, the sequential rule in its adaptive block
    store.benchmarks().register(new BenchmarkDefinition(BENCHMARK, "adaptive", spec(
        "\"seeds\": [1, 2], \"adaptive\": {\"seeds\": {\"max\": 4, \"min\": 2, \"step\": 1}}",
        List.of(TRIPLET, UNIFIED_20, INFONCE, UNIFIED_5), 2), "h-adaptive", TRIPLET));
    store.datasets().register(new DatasetDefinition(DATASET, "synthetic", null, json("{\"images\": 200}"), "test"));
    succeeded("t1", TRIPLET, 1, 340);
    succeeded("t2", TRIPLET, 2, 344);
    succeeded("g1", UNIFIED_20, 1, 360);
    succeeded("g2", UNIFIED_20, 2, 362);
    succeeded("g3", UNIFIED_20, 3, 364);
    succeeded("i1", INFONCE, 1, 350);
    stopped("i2", INFONCE, 2, 1, 280.0);
    stopped("s1", UNIFIED_5, 1, 2, 200.0, 250.0);
    stopped("s2", UNIFIED_5, 2, 2, 210.0, 262.0);
  }

  @Test
  void onlyVariantsWithSucceededRunsAreRankedWithTheSeedsEachUsed() {
    List<LeaderboardRow> rows = store.reports().leaderboard(BENCHMARK);

    assertEquals(List.of(UNIFIED_20 + " #1 3 seeds", INFONCE + " #2 1 seeds", TRIPLET + " #3 2 seeds"),
        rows.stream().map(r -> r.variant() + " #" + r.rank() + " " + r.seeds() + " seeds").toList(),
        "the stopped variant has no row; sequential seeds give each variant its own count");
    assertFalse(store.reports().lossDelta(BENCHMARK).stream().anyMatch(r -> r.variant().equals(UNIFIED_5)));
  }

  @Test
  void variantRunsSaysWhereEachVariantWasStoppedAndItsValidationRsumThere() {
    Map<String, VariantRuns> byVariant = store.reports().variantRuns(BENCHMARK).stream()
        .collect(Collectors.toMap(VariantRuns::variant, Function.identity()));

    VariantRuns halved = byVariant.get(UNIFIED_5);
    assertEquals(List.of(2, 0, 2, 2), List.of(halved.runs(), halved.seedsSucceeded(), halved.runsStopped(),
        halved.stoppedEpoch()), "runs, seeds succeeded, runs stopped, rung");
    assertEquals(256, halved.stoppedValRsumMean(), EPS, "epoch index 1 is the second epoch: the rung 2's figure");
    assertEquals(Math.sqrt(72), halved.stoppedValRsumStd(), EPS);
    assertTrue(halved.stoppedByHalving());

    VariantRuns infonce = byVariant.get(INFONCE);
    assertEquals(List.of(2, 1, 1, 1), List.of(infonce.runs(), infonce.seedsSucceeded(), infonce.runsStopped(),
        infonce.stoppedEpoch()));
    assertEquals(280, infonce.stoppedValRsumMean(), EPS);
    assertNull(infonce.stoppedValRsumStd(), "one stopped run");
    assertFalse(infonce.stoppedByHalving(), "it has a succeeded seed: ranked, not listed as stopped");

    VariantRuns unified = byVariant.get(UNIFIED_20);
    assertEquals(List.of(3, 3, 0), List.of(unified.runs(), unified.seedsSucceeded(), unified.runsStopped()));
    assertNull(unified.stoppedEpoch());
    assertNull(unified.stoppedValRsumMean());

    assertEquals(List.of(UNIFIED_5),
        store.reports().stoppedVariants(BENCHMARK).stream().map(VariantRuns::variant).toList());
  }

  @Test
  void statusSummariesCountStoppedRunsAndTheRunListHasTheirRung() {
    Map<RunStatus, RunStatusRow> rows = store.reports().runStatus(BENCHMARK).stream()
        .collect(Collectors.toMap(RunStatusRow::status, Function.identity()));
    assertEquals(3, rows.get(RunStatus.STOPPED).runs());
    assertEquals(6, rows.get(RunStatus.SUCCEEDED).runs());
    assertEquals(Map.of(RunStatus.SUCCEEDED, 6, RunStatus.STOPPED, 3), store.runs().countsByBenchmark().get(BENCHMARK));
    assertEquals(Map.of("i2", 1, "s1", 2, "s2", 2), store.reports().stoppedEpochs(BENCHMARK));
  }

  @Test
  void aStoppedRunsCurveCountsUpToItsRung() {
    Map<String, List<ConvergenceRow>> curves = store.reports().convergence(BENCHMARK).stream()
        .collect(Collectors.groupingBy(ConvergenceRow::variant));

    List<ConvergenceRow> halved = curves.get(UNIFIED_5);
    assertEquals(List.of(0, 1), halved.stream().map(ConvergenceRow::epoch).toList());
    assertEquals(205, halved.get(0).valRsumMean(), EPS);
    assertEquals(256, halved.get(1).valRsumMean(), EPS);
    assertEquals(List.of(2, 1, 1, 1), curves.get(INFONCE).stream().map(ConvergenceRow::seeds).toList(),
        "infonce's stopped seed at its one epoch, its succeeded seed at all four");
  }

  @Test
  void computeCountsStoppedRunsEpochsAndTheFullGridIsEveryCellAtMaxSeeds() {
    BenchmarkCompute compute = store.reports().compute(BENCHMARK).orElseThrow();

    assertEquals(6 * EPOCHS + 1 + 2 + 2, compute.runEpochsTrained(), "the stopped runs' epochs count");
    assertEquals(9, compute.runsTrained());
    assertEquals(4 * 4 * EPOCHS, compute.fullGridRunEpochs(),
        "4 variants x max 4 seeds x 4 epochs, cells never started included (9 runs x 4 epochs would be 36)");
  }

  @Test
  void aFullMatrixsGridIsItsListedCellsEvenBeforeTheirRunsAreRegistered() {
    store.benchmarks().register(new BenchmarkDefinition(FULL, "full", spec("\"seeds\": [1, 2, 3]",
        List.of(TRIPLET, UNIFIED_20), 3), "h-full", TRIPLET));
    // sequential seeds written at the top level ({min, max, step}) count at max seeds too
    store.benchmarks().register(new BenchmarkDefinition("top-5c0ffe", "top", spec(
        "\"seeds\": {\"min\": 2, \"max\": 5, \"step\": 1}", List.of(TRIPLET, UNIFIED_20), 2), "h-top", TRIPLET));

    BenchmarkCompute full = store.reports().compute(FULL).orElseThrow();
    assertEquals(0, full.runs());
    assertEquals(2 * 3 * EPOCHS, full.fullGridRunEpochs());
    assertEquals(2 * 5 * EPOCHS, store.reports().compute("top-5c0ffe").orElseThrow().fullGridRunEpochs());
  }

  /** A stored matrix as SpecJson writes one, reduced to what the views read: seeds, training epochs and cells. */
  private static com.fasterxml.jackson.databind.JsonNode spec(String seedsFields, List<String> losses,
      int listedSeeds) {
    StringBuilder cells = new StringBuilder();
    for (String loss : losses) {
      for (int seed = 1; seed <= listedSeeds; seed++) {
        cells.append(cells.isEmpty() ? "" : ", ").append("{\"id\": \"c-").append(loss).append('-').append(seed)
            .append("\", \"dataset\": \"scenes\", \"model\": \"").append(MODEL).append("\", \"loss\": \"")
            .append(loss).append("\", \"seed\": ").append(seed).append('}');
      }
    }
    return json("{\"format\": \"lossbench-matrix v1\", " + seedsFields
        + ", \"training\": {\"spec\": \"epochs=4\", \"params\": {\"epochs\": " + EPOCHS + ", \"batch_size\": 128}},"
        + " \"cells\": [" + cells + "]}");
  }

  private void succeeded(String id, String variant, long seed, double rsum) {
    start(id, variant, seed, EPOCHS);
    for (int e = 0; e < EPOCHS; e++) {
      UnfencedWrites.upsert(store, epoch(id, e, 1.0, rsum - 40 + 10 * e));
    }
    UnfencedWrites.upsert(store, result(id, "test", rsum / 8, rsum / 9, rsum));
    store.runs().finish(id, RunStatus.SUCCEEDED, null);
  }

  /** A run successive halving stopped at {@code rung}, with its validation rSum per epoch up to it. */
  private void stopped(String id, String variant, long seed, int rung, Double... valRsum) {
    start(id, variant, seed, rung);
    for (int e = 0; e < valRsum.length; e++) {
      UnfencedWrites.upsert(store, epoch(id, e, 1.5, valRsum[e]));
    }
    store.runs().finish(id, RunStatus.STOPPED, null);
    db.execute(TestDatabase.DATABASE, "UPDATE run SET stopped_epoch = " + rung + " WHERE id = '" + id + "'");
  }

  private void start(String id, String variant, long seed, int epochsTrained) {
    String lossName = variant.contains(":") ? variant.substring(0, variant.indexOf(':')) : variant;
    store.runs().register(new RunDefinition(id, BENCHMARK, DATASET, MODEL, lossName, null, variant, seed,
        json("{\"epochs\": " + EPOCHS + ", \"batch_size\": 128}")));
    store.runs().start(id, "gpu-0");
    AttemptClaim claim = new AttemptClaim("exec-" + id, 1);
    store.attempts().begin(id, BENCHMARK, claim, "gpu-0", "cpu");
    for (int e = 0; e < epochsTrained; e++) {
      store.attempts().recordEpoch(id, claim, 10);
    }
  }
}
