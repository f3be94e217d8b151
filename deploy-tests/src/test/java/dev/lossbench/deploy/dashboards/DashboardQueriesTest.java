package dev.lossbench.deploy.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.ComparisonRow;
import dev.lossbench.schema.record.LeaderboardRow;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every panel's SQL, as Grafana would send it for the fixture benchmark, run as lossbench_reader on the migrated
 * store: none fails (so none reaches a table: the reader may read views only), every one finds the fixture's rows,
 * and the leaderboard panel ranks exactly as the CLI does.
 */
@ExtendWith(MetricsStoreExtension.class)
class DashboardQueriesTest {
  private static final Map<String, String> FIXTURE = Map.of("benchmark", FixtureBenchmark.ID);

  private final MetricsStore store;
  private final TestDatabase db;
  private ReaderLogin reader;

  DashboardQueriesTest(MetricsStore store, TestDatabase db) {
    this.store = store;
    this.db = db;
  }

  @BeforeEach
  void writeTheFixtureAndLetTheReaderIn() {
    FixtureBenchmark.writeTo(store);
    reader = ReaderLogin.open(db);
  }

  @AfterEach
  void closeTheReaderLogin() {
    if (reader != null) {
      reader.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyPanelQueryRunsAsTheReaderAndFindsTheFixture() {
    List<DynamicTest> tests = new ArrayList<>();
    for (DashboardFile dashboard : DashboardFile.all()) {
      for (PanelQuery query : dashboard.queries()) {
        tests.add(DynamicTest.dynamicTest(query.toString(), () -> {
          try (Connection connection = reader.connect()) {
            List<Map<String, Object>> rows = new DashboardSession(dashboard, connection, FIXTURE).rows(query);
            assertFalse(rows.isEmpty(), query + " returned no rows for the fixture benchmark");
          }
        }));
      }
    }
    assertTrue(tests.size() >= 4, "every dashboard has panels with SQL; found " + tests.size());
    return tests.stream();
  }

  @Test
  void everyVariableOffersTheFixtureAndTheBenchmarkSelectorListsEveryBenchmark() throws SQLException {
    try (Connection connection = reader.connect()) {
      for (DashboardFile dashboard : DashboardFile.all()) {
        DashboardSession session = new DashboardSession(dashboard, connection, FIXTURE);
        assertEquals(List.of(FixtureBenchmark.OTHER_ID, FixtureBenchmark.ID), session.options("benchmark"),
            dashboard.fileName() + ": newest benchmark first");
      }
      DashboardSession convergence = new DashboardSession(dashboard("convergence.json"), connection, FIXTURE);
      assertEquals(List.of(FixtureBenchmark.COCO, FixtureBenchmark.SYNTHETIC), convergence.options("dataset"));
      assertEquals(List.of(FixtureBenchmark.MODEL), convergence.options("model"));
      assertEquals(3, convergence.options("variant").size(), "the three variants trained on " + FixtureBenchmark.COCO);
    }
  }

  @Test
  void theLeaderboardPanelRanksExactlyAsTheCli() throws SQLException {
    // `lossbench leaderboard BENCHMARK --format json` prints MetricsStore.reports().leaderboard(BENCHMARK)
    List<LeaderboardRow> cli = store.reports().leaderboard(FixtureBenchmark.ID);
    List<Map<String, Object>> panel;
    try (Connection connection = reader.connect()) {
      panel = new DashboardSession(dashboard("leaderboard.json"), connection, FIXTURE)
          .rows("Leaderboard (primary test split)");
    }

    assertEquals(6, cli.size(), "two datasets x three variants");
    assertEquals(cli.stream().map(r -> List.of(r.datasetId(), r.model(), r.variant())).toList(),
        panel.stream().map(r -> List.of(r.get("dataset"), r.get("model"), r.get("variant"))).toList(),
        "same cells in the same order");
    for (int i = 0; i < cli.size(); i++) {
      LeaderboardRow expected = cli.get(i);
      Map<String, Object> row = panel.get(i);
      assertEquals(expected.seeds(), ((Number) row.get("seeds")).intValue(), "seeds, row " + i);
      assertEquals(expected.rsumMean(), ((Number) row.get("rSum")).doubleValue(), 1e-9, "mean rSum, row " + i);
      assertEquals(expected.rsumStd(), ((Number) row.get("rSum std")).doubleValue(), 1e-9, "rSum std, row " + i);
      assertEquals(expected.i2tR1Mean(), ((Number) row.get("i2t R@1")).doubleValue(), 1e-9, "i2t R@1, row " + i);
      assertEquals(expected.t2iR1Mean(), ((Number) row.get("t2i R@1")).doubleValue(), 1e-9, "t2i R@1, row " + i);
      assertEquals(i % 3 + 1, ((Number) row.get("rank")).intValue(), "rank within dataset and model, row " + i);
    }
    assertEquals("unified:gamma=50,margin=0.1", panel.get(3).get("variant"), "synthetic's winner");
    assertEquals("infonce:tau=0.05", panel.get(0).get("variant"), "coco's winner (ranked by coco1k)");
  }

  @Test
  void theComparisonPanelShowsTheStoredRowsTheCliShows() throws SQLException {
    // `lossbench leaderboard` prints MetricsStore.comparisons().primary(BENCHMARK) beside the leaderboard
    List<ComparisonRow> cli = store.comparisons().primary(FixtureBenchmark.ID).stream()
        .filter(c -> c.measure().equals("rsum")).toList();
    List<Map<String, Object>> panel;
    try (Connection connection = reader.connect()) {
      panel = new DashboardSession(dashboard("leaderboard.json"), connection, FIXTURE)
          .rows("Against the baseline (comparison engine)");
    }
    assertEquals(4, cli.size(), "two datasets x two variants against the baseline");
    assertEquals(cli.stream().map(c -> List.<Object>of(c.datasetId(), c.variant(), c.rank())).toList(),
        panel.stream().map(r -> List.of(r.get("dataset"), r.get("variant"), ((Number) r.get("rank")).intValue()))
            .toList(),
        "same rows, same order, the leaderboard view's rank");
    for (int i = 0; i < cli.size(); i++) {
      ComparisonRow c = cli.get(i);
      Map<String, Object> row = panel.get(i);
      assertEquals(c.meanDelta(), ((Number) row.get("Δ rSum")).doubleValue(), 1e-9);
      assertEquals(c.pHolm(), ((Number) row.get("p (Holm)")).doubleValue(), 1e-12);
      assertEquals(c.pT(), ((Number) row.get("pT")).doubleValue(), 1e-12);
      assertEquals(c.pAGreater(), ((Number) row.get("P(A>B)")).doubleValue(), 1e-12);
      assertEquals(null, row.get("Δ 95% low"), "unbounded with three seeds");
      assertEquals(c.outcome(), row.get("outcome"));
    }
    assertEquals(1, cli.get(0).rank(), "coco's infonce, first by mean rSum");
  }

  @Test
  void theRunsDashboardShowsTheRunningEpochAndTheFailures() throws SQLException {
    try (Connection connection = reader.connect()) {
      DashboardSession runs = new DashboardSession(dashboard("runs.json"), connection, FIXTURE);

      Map<String, Object> counts = runs.rows("Runs by status").get(0);
      assertEquals(List.of(1L, 1L, 18L, 1L, 1L, 0L, 2L),
          Stream.of("pending", "running", "succeeded", "failed", "diverged", "cancelled", "stopped")
              .map(s -> ((Number) counts.get(s)).longValue()).toList());

      List<Map<String, Object>> running = runs.rows("Running");
      assertEquals(1, running.size());
      assertEquals(2, ((Number) running.get(0).get("epochs done")).intValue());
      assertEquals(3, ((Number) running.get(0).get("of")).intValue());
      assertEquals("gpu-worker-7d9f", running.get(0).get("worker"));
      assertEquals("cuda:0 (NVIDIA H200)", running.get(0).get("device"));
      assertEquals(21_474_836_480L, ((Number) running.get(0).get("peak device memory")).longValue());

      Map<String, Object> runningStatus = runs.rows("Durations by status").stream()
          .filter(r -> "running".equals(r.get("status"))).findFirst().orElseThrow();
      assertEquals("cuda:0 (NVIDIA H200)", runningStatus.get("devices"));
      assertEquals(List.of("cuda:1"), runs.rows("Failures").stream().map(r -> r.get("device"))
          .filter(java.util.Objects::nonNull).toList(), "the failed run's device; the diverged run recorded none");

      List<String> errors = runs.rows("Failures").stream().map(r -> (String) r.get("error")).sorted().toList();
      assertEquals(List.of("CUDA out of memory: tried to allocate 2.00 GiB (batch 128)",
          "train loss is NaN at epoch 0, step 12"), errors);

      Map<String, Object> compute = runs.rows("Compute").get(0);
      assertEquals(List.of(6L, 3L, 0L, 72L), Stream.of("run-epochs trained", "runs trained", "runs from before",
          "full grid run-epochs").map(k -> ((Number) compute.get(k)).longValue()).toList(),
          "the running run's two epochs and the stopped runs' two each; 24 runs × 3 planned epochs");
      assertEquals(180.0 / 3600, ((Number) compute.get("training hours")).doubleValue(), 1e-9);
    }
  }

  @Test
  void theLeaderboardDashboardListsStoppedVariantsAsTheCliDoes() throws SQLException {
    // `lossbench leaderboard` prints MetricsStore.reports().stoppedVariants(BENCHMARK) below the ranked rows
    List<dev.lossbench.schema.record.VariantRuns> cli = store.reports().stoppedVariants(FixtureBenchmark.ID);
    List<Map<String, Object>> panel;
    try (Connection connection = reader.connect()) {
      panel = new DashboardSession(dashboard("leaderboard.json"), connection, FIXTURE)
          .rows("Stopped by successive halving (not ranked)");
    }
    assertEquals(
        List.of(List.of(FixtureBenchmark.SYNTHETIC, FixtureBenchmark.STOPPED_VARIANT, 2, FixtureBenchmark.RUNG)),
        cli.stream().map(v -> List.<Object>of(v.datasetId(), v.variant(), v.runsStopped(), v.stoppedEpoch())).toList(),
        "two seeds stopped at rung 2");
    assertEquals(235.0, cli.get(0).stoppedValRsumMean(), 1e-9, "validation rSum 230 and 240 at the rung");
    assertEquals(cli.stream().map(v -> List.<Object>of(v.datasetId(), v.model(), v.variant(), v.runsStopped(),
        v.stoppedEpoch(), v.stoppedValRsumMean(), v.stoppedValRsumStd())).toList(),
        panel.stream().map(r -> List.<Object>of(r.get("dataset"), r.get("model"), r.get("variant"),
            ((Number) r.get("seeds")).intValue(), ((Number) r.get("stopped at epoch")).intValue(),
            ((Number) r.get("val rSum at rung")).doubleValue(), ((Number) r.get("val rSum std")).doubleValue()))
            .toList());
  }

  @Test
  void theRunsDashboardShowsStoppedRunsWithTheirRung() throws SQLException {
    try (Connection connection = reader.connect()) {
      DashboardSession runs = new DashboardSession(dashboard("runs.json"), connection, FIXTURE);

      List<Map<String, Object>> stopped = runs.rows("Stopped by successive halving");
      assertEquals(List.of(List.of(FixtureBenchmark.STOPPED_VARIANT, 2L, "stopped", 2L, 3L, 240.0, 2L),
          List.of(FixtureBenchmark.STOPPED_VARIANT, 1L, "stopped", 2L, 3L, 230.0, 2L)),
          stopped.stream().map(r -> List.<Object>of(r.get("variant"), ((Number) r.get("seed")).longValue(),
              r.get("status"), ((Number) r.get("stopped at epoch")).longValue(), ((Number) r.get("of")).longValue(),
              Math.round(((Number) r.get("val rSum at rung")).doubleValue() * 1e6) / 1e6,
              ((Number) r.get("epochs trained")).longValue())).toList(),
          "best validation rSum at the rung first; the rung, the planned epochs and the epochs trained");

      Map<String, Object> stoppedStatus = runs.rows("Durations by status").stream()
          .filter(r -> "stopped".equals(r.get("status"))).findFirst().orElseThrow();
      assertEquals(2, ((Number) stoppedStatus.get("runs")).intValue());
      assertTrue(
          runs.rows("Failures").stream().noneMatch(r -> FixtureBenchmark.STOPPED_VARIANT.equals(r.get("variant"))),
          "stopped is not a failure");
      assertTrue(
          runs.rows("Running").stream().noneMatch(r -> FixtureBenchmark.STOPPED_VARIANT.equals(r.get("variant"))));
    }
    // the stat panel's stopped count has its own colour
    DashboardFile file = dashboard("runs.json");
    com.fasterxml.jackson.databind.JsonNode stat = file.panels().stream()
        .filter(p -> p.path("title").asText().equals("Runs by status")).findFirst().orElseThrow();
    assertTrue(stat.path("fieldConfig").path("overrides").findParents("matcher").stream()
        .anyMatch(o -> o.path("matcher").path("options").asText().equals("stopped")
            && o.path("properties").get(0).path("value").path("fixedColor").asText().equals("purple")));
  }

  @Test
  void theReaderTheQueriesRunAsCannotReadTables() throws SQLException {
    try (Connection connection = reader.connect(); Statement statement = connection.createStatement()) {
      SQLException refused = assertThrows(SQLException.class, () -> statement.executeQuery("SELECT * FROM run"));
      assertEquals("42501", refused.getSQLState(), refused.getMessage());
    }
  }

  private static DashboardFile dashboard(String fileName) {
    return DashboardFile.all().stream()
        .filter(d -> d.fileName().equals(fileName))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no dashboards/json/" + fileName));
  }
}
