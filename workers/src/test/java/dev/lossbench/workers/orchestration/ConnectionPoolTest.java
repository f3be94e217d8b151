package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.run.RunPhase;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's connections are pooled: a whole benchmark (registration, datasets, training with an upsert per
 * epoch, evaluation, bookkeeping) logs in to PostgreSQL no more often than the pool has connections, counted by
 * the server itself ({@code pg_stat_database.sessions}). Without the pool every statement was a new login.
 */
class ConnectionPoolTest {
  @TempDir
  Path home;
  @TempDir
  Path artifacts;

  @Test
  void aBenchmarkLogsInAtMostPoolSizeTimes() throws Exception {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(home)) {
      long before = sessions(server);
      long nanos = System.nanoTime();
      BenchmarkSummary summary;
      // the server's own JDBC URL: closing the store closes the pool, not the server
      try (MetricsStore store = MetricsStore.open(Database.external(server.jdbcUrl(EmbeddedPostgresServer.DATABASE),
          EmbeddedPostgresServer.SUPERUSER, server.superuserPassword()));
          TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
        WorkerHost.register(env.getWorkerFactory(), Set.copyOf(TaskQueues.ALL), store, artifacts, "test-worker");
        env.start();
        BenchmarkClient client = new BenchmarkClient(env.getWorkflowClient());
        String id = client.submit(Matrices.parse(Matrices.tiny("pool", Matrices.SYNTHETIC,
            "'vse-gpo:embed_dim=32,word_dim=16'", "infonce, triplet-hn", 2, 3), artifacts),
            OrchestrationSettings.defaults()).benchmarkId();
        summary = client.await(id, Duration.ofSeconds(1), ProgressListener.NONE);
        for (var run : store.runs().byBenchmark(id)) {
          assertEquals(3, store.epochMetrics().forRun(run.id()).size(), "every epoch stored");
        }
      }
      double seconds = (System.nanoTime() - nanos) / 1e9;
      assertEquals(RunPhase.SUCCEEDED, summary.status(), summary.toString());
      // the measuring connection itself is one session; the rest are the store's logins
      long logins = sessions(server) - before - 1;
      System.out.printf("ConnectionPoolTest: %d logins in %.1f s (busy machine), pool size %d%n", logins, seconds,
          Database.DEFAULT_POOL_SIZE);
      // at most one login per pooled connection, plus the external database's check of its URL and password
      assertTrue(logins <= Database.DEFAULT_POOL_SIZE + 1, logins + " logins for one small benchmark");
    }
  }

  /** Sessions ever established to the lossbench database; the ended ones have all reported by now. */
  private static long sessions(EmbeddedPostgresServer server) throws SQLException {
    try (Connection c = server.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
