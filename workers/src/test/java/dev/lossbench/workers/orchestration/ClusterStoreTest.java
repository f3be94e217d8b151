package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.TemporalConnection;
import dev.lossbench.workers.stack.TemporalServer;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One store or none: a worker that joins a cluster without the cluster's store refuses to start (it would register
 * and train in a private one), and a client whose benchmark no workflow worker serves says so instead of waiting in
 * silence.
 */
class ClusterStoreTest {
  static final String REFUSAL = "--temporal %s needs the cluster's PostgreSQL: set LOSSBENCH_DB_URL (and LOSSBENCH_DB_USER,"
      + " LOSSBENCH_DB_PASSWORD)";
  @TempDir
  Path dir;

  @Test
  void aWorkerJoiningAClusterWithoutTheStoreRefusesToStart() throws Exception {
    try (TemporalServer temporal = TemporalServer.start(0)) {
      String target = temporal.target();
      for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of(Database.URL_VARIABLE, ""))) {
        Path home = dir.resolve("home" + env.size());
        WorkerProcess w = WorkerProcess.lossbench(List.of("worker", "--temporal", target, "--home", home.toString()),
            env,
            dir.resolve("worker" + env.size() + ".log"));
        // before: it started a private embedded PostgreSQL under the home and served the cluster's queues
        boolean ended = w.process.waitFor(2, TimeUnit.MINUTES);
        if (!ended) {
          w.process.destroy();
          w.process.waitFor(1, TimeUnit.MINUTES);
        }
        assertTrue(ended, () -> "the worker started: " + w.log());
        assertEquals(2, w.process.exitValue(), w.log());
        List<String> lines = w.log().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), w.log());
        assertTrue(lines.get(0).startsWith("lossbench worker: " + REFUSAL.formatted(target)), lines.get(0));
        assertFalse(Files.exists(home.resolve("postgres")), "no private store");
      }
    }
  }

  @Test
  void followingABenchmarkNoWorkflowWorkerServesEndsWithALine() throws Exception {
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary();
        MetricsStore store = MetricsStore.open(Database.embedded(pg));
        TemporalServer temporal = TemporalServer.start(0);
        TemporalConnection connection = TemporalConnection.connect(temporal.target(), "default", "test");
        // activities are served, workflow tasks are not (as when the only workflow worker was killed)
        WorkerHost cpu = WorkerHost.start(connection.client(), Set.of(TaskQueues.CPU), store, dir, "cpu")) {
      BenchmarkClient client = new BenchmarkClient(connection.client());
      BenchmarkSpec spec = Matrices.parse(WorkerKillTest.MATRIX.formatted("unserved"), dir);
      String id = client.submit(spec, OrchestrationSettings.defaults()).benchmarkId();
      long started = System.nanoTime();
      BenchmarkClient.NoWorkflowWorker e = assertThrows(BenchmarkClient.NoWorkflowWorker.class,
          () -> client.await(id, Duration.ofSeconds(1), ProgressListener.NONE, Duration.ofSeconds(5)));
      assertEquals("no workflow worker answered for 5 s", e.getMessage());
      assertTrue(System.nanoTime() - started < Duration.ofMinutes(2).toNanos(),
          "it gave up, within the query's own timeouts");
    }
  }
}
