package dev.lossbench.schema.repository;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.testing.StoreAtScale;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana panels' queries (dashboards/json) on a store of 25,000 runs and 1,000,000 epoch rows: each reads
 * one benchmark through indexes, never scanning the whole epoch_metric table. Asserted on the plan,
 * not on time; the EXPLAIN ANALYZE timings are printed.
 */
class DashboardsAtScaleTest {
  private static final String BENCHMARK = "scale-3";
  private static MetricsStore store;

  /** Each panel's SQL as in dashboards/json, with the Grafana variables filled in. */
  private static final Map<String, String> PANELS = Map.of(
      "convergence: val rSum", """
          SELECT variant, epoch, val_rsum_mean FROM convergence
          WHERE benchmark_id = 'scale-3' AND dataset_id = 'scale-scenes' AND model = 'model-1'
            AND variant IN ('loss-3:p=1', 'loss-7:p=1') AND val_rsum_mean IS NOT NULL
          ORDER BY variant, epoch""",
      "convergence: seed band", """
          SELECT epoch, val_rsum_min, val_rsum_mean, val_rsum_max FROM convergence
          WHERE benchmark_id = 'scale-3' AND dataset_id = 'scale-scenes' AND model = 'model-1'
            AND variant = 'loss-3:p=1' AND val_rsum_mean IS NOT NULL
          ORDER BY epoch""",
      "leaderboard: primary", """
          SELECT dataset_id, model,
                 row_number() OVER (PARTITION BY dataset_id, model ORDER BY rsum_mean DESC, variant) AS rank,
                 variant, seeds, rsum_mean, rsum_std, best_seed, best_rsum, split
          FROM leaderboard WHERE benchmark_id = 'scale-3' AND is_primary
          ORDER BY dataset_id, model, rsum_mean DESC, variant""",
      "leaderboard: every split", """
          SELECT dataset_id, model, split, is_primary, variant, seeds, rsum_mean FROM leaderboard
          WHERE benchmark_id = 'scale-3' ORDER BY dataset_id, model, split, rsum_mean DESC, variant""");

  @BeforeAll
  static void fill() throws SQLException {
    store = MetricsStore.open(Database.embedded(EmbeddedPostgresServer.startTemporary()));
    StoreAtScale.generate(store.database().dataSource(), "scale", 5, 5_000, 40);
  }

  @AfterAll
  static void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void theStoreHasTheSizeOfTheIssue() throws SQLException {
    assertEquals(25_000, count("SELECT count(*) FROM run"));
    assertEquals(1_000_000, count("SELECT count(*) FROM epoch_metric"));
  }

  @Test
  void everyPanelReadsOneBenchmarkThroughIndexes() throws SQLException {
    for (Map.Entry<String, String> panel : PANELS.entrySet()) {
      List<String> plan = lines("EXPLAIN (ANALYZE, COSTS OFF) " + panel.getValue());
      System.out.println("DashboardsAtScaleTest " + panel.getKey() + ":\n  " + String.join("\n  ", plan));
      // result and run may be read whole where a benchmark holds a fifth of them (the planner's right call);
      // epoch_metric, forty times larger, never
      assertTrue(plan.stream().noneMatch(l -> l.contains("Seq Scan on epoch_metric")),
          panel.getKey() + " scans epoch_metric whole:\n" + String.join("\n", plan));
    }
  }

  @Test
  void thePanelsStillAnswerWithTheFigures() throws SQLException {
    // 100 runs of model-1 × loss-3 (seeds 0..99 in steps of... one per 50 runs), 40 epochs
    assertEquals(40, count("SELECT count(*) FROM convergence WHERE benchmark_id = '" + BENCHMARK
        + "' AND model = 'model-1' AND variant = 'loss-3:p=1'"));
    assertEquals(100, count("SELECT seeds FROM convergence WHERE benchmark_id = '" + BENCHMARK
        + "' AND model = 'model-1' AND variant = 'loss-3:p=1' AND epoch = 0"));
    assertEquals(50, count("SELECT count(*) FROM leaderboard WHERE benchmark_id = '" + BENCHMARK + "' AND is_primary"));
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> lines(String sql) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
    }
    return lines;
  }

  private static DataSource dataSource() {
    return store.database().dataSource();
  }
}
