package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.embedded.PostgresHome;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ListeningSockets;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.TemporalConnection;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.activities.TrainingProgress;
import dev.lossbench.workflows.benchmark.BenchmarkProgress;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.run.RunPhase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The split deployment of README "Scaling out", as processes: {@code lossbench server} (embedded PostgreSQL, Temporal
 * on a port, the workflow worker) and {@code lossbench worker}s with the default queues, each in its own JVM. A worker
 * killed with SIGKILL in the middle of training strands nothing: after the heartbeat timeout the run continues on
 * another default worker and the benchmark finishes; the client says the worker was lost. Temporal listens on
 * 127.0.0.1 only; the workers log each activity; nobody sees {@code too_many_pings}.
 */
class SplitDeploymentTest {
  static final int HEARTBEAT_TIMEOUT_SECONDS = 20;
  @TempDir
  Path home;
  @TempDir
  Path logs;

  @Test
  void aKilledDefaultWorkerStrandsNoBenchmark() throws Exception {
    int temporalPort = freePort();
    int dbPort = freePort();
    Path artifacts = home.resolve("artifacts");
    List<WorkerProcess> processes = new ArrayList<>();
    ExecutorService waiting = Executors.newSingleThreadExecutor();
    try {
      WorkerProcess server = WorkerProcess.lossbench(List.of("server", "--home", home.toString(), "--temporal-port",
          Integer.toString(temporalPort), "--db-port", Integer.toString(dbPort)), Map.of(), logs.resolve("server.log"));
      processes.add(server);
      awaitLine(server, "./lossbench run");
      Set<String> bound = ListeningSockets.addresses(temporalPort);

      String url = "jdbc:postgresql://localhost:" + dbPort + "/" + EmbeddedPostgresServer.DATABASE;
      String password = new PostgresHome(home.resolve("postgres")).recordedPassword().orElseThrow();
      Map<String, String> env = Map.of(Database.URL_VARIABLE, url, Database.USER_VARIABLE,
          EmbeddedPostgresServer.SUPERUSER,
          Database.PASSWORD_VARIABLE, password);
      List<String> worker = List.of("worker", "--temporal", "127.0.0.1:" + temporalPort, "--artifacts",
          artifacts.toString());

      try (MetricsStore store = MetricsStore.open(Database.external(url, EmbeddedPostgresServer.SUPERUSER, password));
          TemporalConnection connection = TemporalConnection.connect("127.0.0.1:" + temporalPort, "default", "test")) {
        BenchmarkClient client = new BenchmarkClient(connection.client());
        BenchmarkSpec spec = Matrices.parse(WorkerKillTest.MATRIX.formatted("split"), artifacts);
        String id = client.submit(spec, new OrchestrationSettings(HEARTBEAT_TIMEOUT_SECONDS, 1, 5)).benchmarkId();
        String runId = RunIds.ofCell(spec.cells().get(0).id());

        WorkerProcess doomed = WorkerProcess.lossbench(worker, env, logs.resolve("doomed.log"));
        processes.add(doomed);
        doomed.awaitCheckpointAtOrAfter(ArtifactsLayout.lastCheckpoint(new ArtifactsLayout(artifacts).run(runId)), 2,
            6);
        doomed.process.destroyForcibly(); // SIGKILL
        doomed.process.waitFor();

        WorkerProcess replacement = WorkerProcess.lossbench(worker, env, logs.resolve("replacement.log"));
        processes.add(replacement);
        List<String> notices = new CopyOnWriteArrayList<>();
        ProgressListener listener = new ProgressListener() {
          @Override
          public void update(BenchmarkProgress p, Map<String, TrainingProgress> live) {}

          @Override
          public void notice(String line) {
            notices.add(line);
          }
        };
        Future<BenchmarkSummary> result = waiting.submit(() -> client.await(id, Duration.ofSeconds(1), listener));
        BenchmarkSummary summary;
        try {
          summary = result.get(8, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
          fail("the benchmark is stranded after its worker was killed; server: " + server.log() + "\nreplacement: "
              + replacement.log());
          return;
        }
        assertEquals(RunPhase.SUCCEEDED, summary.status(), summary.toString());
        Run run = store.runs().find(runId).orElseThrow();
        assertEquals(RunStatus.SUCCEEDED, run.status());
        assertEquals(6, store.epochMetrics().forRun(runId).size(), "one row per epoch");
        assertTrue(
            notices.stream()
                .anyMatch(n -> n.startsWith(runId + ": worker ") && n.contains(" lost (no heartbeat for ")
                    && n.endsWith("(attempt 2)")),
            "the client said the worker was lost: " + notices);

        String replaced = replacement.log();
        assertTrue(replaced.contains("activity start: Train for " + runId + " (attempt "), replaced);
        assertTrue(replaced.contains("activity end: Train for " + runId) && replaced.contains("succeeded after"),
            replaced);
        assertTrue(replaced.contains("serving gpu, cpu on"), "the default queues are gpu,cpu: " + replaced);
        for (WorkerProcess p : processes) {
          assertFalse(p.log().contains("too_many_pings"), p.log());
        }
      }
      assertEquals(Set.of("127.0.0.1"), bound, "lossbench server's Temporal listens on loopback only");
    } finally {
      waiting.shutdownNow();
      for (WorkerProcess p : processes) {
        p.process.destroy();
      }
      for (WorkerProcess p : processes) {
        if (!p.process.waitFor(60, TimeUnit.SECONDS)) {
          p.process.destroyForcibly();
        }
      }
    }
  }

  private static void awaitLine(WorkerProcess p, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!p.log().contains(text)) {
      assertTrue(p.process.isAlive(), () -> "the process ended: " + p.log());
      assertTrue(System.nanoTime() < deadline, () -> "not ready in time: " + p.log());
      Thread.sleep(100);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
