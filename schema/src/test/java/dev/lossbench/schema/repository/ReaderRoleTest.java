package dev.lossbench.schema.repository;

import static dev.lossbench.schema.repository.Fixtures.result;
import static dev.lossbench.schema.repository.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.TestDatabase;
import dev.lossbench.schema.testing.UnfencedWrites;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Logs in as lossbench_reader, as a dashboard would: the views are readable, the tables are not. */
@ExtendWith(MetricsStoreExtension.class)
class ReaderRoleTest {
  private static final String READER = "lossbench_reader";
  private static final String PASSWORD = "reader-test-password";
  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  private final MetricsStore store;
  private final TestDatabase db;

  ReaderRoleTest(MetricsStore store, TestDatabase db) {
    this.store = store;
    this.db = db;
  }

  @BeforeEach
  void letTheReaderLogIn() {
    db.execute("postgres", "ALTER ROLE " + READER + " LOGIN PASSWORD '" + PASSWORD + "'");
    Fixtures.registerBenchmarkAndDataset(store);
    store.runs().register(run("r1", "triplet-hn", 1));
    store.runs().start("r1", "gpu-0");
    UnfencedWrites.upsert(store, Fixtures.epoch("r1", 0, 1.5, 300.0));
    UnfencedWrites.upsert(store, result("r1", "test", 40, 30, 350));
    store.runs().finish("r1", RunStatus.SUCCEEDED, null);
  }

  @AfterEach
  void closeTheLoginAgain() {
    db.execute("postgres", "ALTER ROLE " + READER + " NOLOGIN PASSWORD NULL");
  }

  @Test
  void theReaderSeesEveryViewWithItsRows() throws SQLException {
    try (Connection reader = readerConnection(); Statement s = reader.createStatement()) {
      for (String view : List.of("leaderboard", "convergence", "loss_delta", "run_status")) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + view)) {
          assertTrue(rs.next());
          assertEquals(1, rs.getInt(1), view + " has the fixture's one row");
        }
      }
    }
  }

  @Test
  void theReaderCannotReadOrWriteTheTables() throws SQLException {
    try (Connection reader = readerConnection(); Statement s = reader.createStatement()) {
      for (String table : List.of("benchmark", "dataset", "run", "epoch_metric", "result", "run_event",
          "flyway_schema_history")) {
        assertRefused(s, "SELECT * FROM " + table);
      }
      assertRefused(s, "INSERT INTO benchmark (id, name, spec, spec_hash) VALUES ('x', 'x', '{}', 'x')");
      assertRefused(s, "UPDATE result SET i2t_r1 = 100");
      assertRefused(s, "DELETE FROM run");
      assertRefused(s, "TRUNCATE epoch_metric");
    }
  }

  private Connection readerConnection() throws SQLException {
    return db.dataSource(TestDatabase.DATABASE, READER, PASSWORD).getConnection();
  }

  private static void assertRefused(Statement statement, String sql) {
    SQLException refused = assertThrows(SQLException.class, () -> statement.execute(sql), sql);
    assertEquals(INSUFFICIENT_PRIVILEGE, refused.getSQLState(), sql + ": " + refused.getMessage());
  }
}
