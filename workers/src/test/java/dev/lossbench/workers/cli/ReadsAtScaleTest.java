package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.testing.StoreAtScale;
import dev.lossbench.workers.stack.LossbenchHome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status NAME} and {@code report NAME} read a benchmark of 10 runs and one of 10,000 runs with the same
 * number of queries: counted by the server, as the transactions committed in the lossbench database while the
 * command ran (each statement outside a transaction is one; the counter is read from another database, so the
 * counting adds none). Per-run reads made it thousands; the 10,000-run status is also timed.
 */
class ReadsAtScaleTest {
  @TempDir
  static Path home;
  @TempDir
  Path dir;
  private static EmbeddedPostgresServer server;

  @BeforeAll
  static void generate() throws SQLException {
    // the server a `run` in another terminal would hold: the reading commands connect to it
    server = EmbeddedPostgresServer.start(new LossbenchHome(home).postgres());
    try (MetricsStore store = MetricsStore.open(Database.external(server.jdbcUrl(EmbeddedPostgresServer.DATABASE),
        EmbeddedPostgresServer.SUPERUSER, server.superuserPassword()))) {
      StoreAtScale.generate(store.database().dataSource(), "few", 1, 10, 10);
      StoreAtScale.generate(store.database().dataSource(), "many", 1, 10_000, 10);
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void statusReadsTenAndTenThousandRunsWithTheSameQueries() throws Exception {
    long few = transactions(() -> CommandRun.of("status", "few-1", "--home", home.toString()), "few-1", 10);
    long start = System.nanoTime();
    long many = transactions(() -> CommandRun.of("status", "many-1", "--home", home.toString()), "many-1", 10_000);
    System.out.printf("ReadsAtScaleTest: status of 10 runs: %d transactions; of 10,000 runs: %d transactions, %.2f s"
        + " (busy machine)%n", few, many, (System.nanoTime() - start) / 1e9);
    // the pool checks a connection idle for over 0.5 s (one empty statement) before lending it: a little slack, not thousands
    assertTrue(Math.abs(many - few) <= 5, "status: " + few + " transactions for 10 runs, " + many + " for 10,000");
  }

  @Test
  void reportReadsTenAndTenThousandRunsWithTheSameQueries() throws Exception {
    long few = transactions(() -> CommandRun.of("report", "few-1", "--out", dir.resolve("few.html").toString(),
        "--home", home.toString()), "few-1", 0);
    long start = System.nanoTime();
    long many = transactions(() -> CommandRun.of("report", "many-1", "--out", dir.resolve("many.html").toString(),
        "--home", home.toString()), "many-1", 0);
    System.out.printf("ReadsAtScaleTest: report of 10 runs: %d transactions; of 10,000 runs: %d transactions, %.2f s"
        + " (busy machine)%n", few, many, (System.nanoTime() - start) / 1e9);
    assertTrue(Math.abs(many - few) <= 5, "report: " + few + " transactions for 10 runs, " + many + " for 10,000");
  }

  interface Command {
    CommandRun run() throws Exception;
  }

  /** Transactions the command committed in the lossbench database, once its connections have all ended. */
  private static long transactions(Command command, String benchmark, int runsShown) throws Exception {
    long before = committed();
    CommandRun result = command.run();
    assertEquals(0, result.exitCode(), result.out() + result.err());
    assertTrue(result.out().contains(benchmark) || result.err().contains(benchmark) || runsShown == 0, result.out());
    if (runsShown > 0) {
      assertTrue(result.out().contains(runsShown + " runs, " + runsShown + " succeeded"), result.out());
      // the benchmark line, its compute line, the column header, then a line per run
      assertEquals(runsShown + 3, result.out().lines().count(), "a line per run");
    }
    return committed() - before;
  }

  // read from the postgres database: a backend reports its counts when it ends, so wait for lossbench's to end
  private static long committed() throws SQLException, InterruptedException {
    DataSource postgres = server.dataSource("postgres", EmbeddedPostgresServer.SUPERUSER, server.superuserPassword());
    try (Connection c = postgres.getConnection(); Statement st = c.createStatement()) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (count(st,
          "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + EmbeddedPostgresServer.DATABASE + "'") > 0) {
        assertTrue(System.nanoTime() < deadline, "the command's connections did not end");
        Thread.sleep(50);
      }
      st.execute("SELECT pg_stat_clear_snapshot()");
      return count(st, "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '"
          + EmbeddedPostgresServer.DATABASE + "'");
    }
  }

  private static long count(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
