package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.run.RunPhase;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL stopped for a few seconds in the middle of a benchmark: it completes, nothing lost or doubled. */
class DatabaseOutageTest {
  @TempDir
  Path home;
  @TempDir
  Path artifacts;

  @Test
  void aBenchmarkSurvivesTheDatabaseGoingAwayAndComingBack() throws Exception {
    EmbeddedPostgresServer first = EmbeddedPostgresServer.start(home);
    int port = first.port();
    EmbeddedPostgresServer second = null;
    try (MetricsStore store = MetricsStore.open(Database.embedded(first));
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
            // real time: with time skipping the retries' backoff and timeouts would pass in an instant
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
      WorkerHost.register(env.getWorkerFactory(), Set.copyOf(TaskQueues.ALL), store, artifacts, "test-worker");
      env.start();
      BenchmarkClient client = new BenchmarkClient(env.getWorkflowClient());
      BenchmarkSpec spec = Matrices
          .parse(Matrices.tiny("outage", Matrices.SYNTHETIC, "'vse-gpo:embed_dim=32,word_dim=16'",
              "infonce, triplet-hn", 1, 4).replace("max_steps_per_epoch: 2", "max_steps_per_epoch: 6"), artifacts);
      String id = client.submit(spec, OrchestrationSettings.defaults()).benchmarkId();
      CompletableFuture<BenchmarkSummary> done = CompletableFuture.supplyAsync(
          () -> client.await(id, Duration.ofSeconds(1), ProgressListener.NONE));

      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (firstEpochs(store, id) == 0) {
        assertTrue(System.nanoTime() < deadline, "no epoch finished in time");
        Thread.sleep(50);
      }
      first.close(); // the database goes away in the middle of training
      Thread.sleep(4000);
      second = EmbeddedPostgresServer.start(home, port);

      BenchmarkSummary summary = done.get();
      assertEquals(RunPhase.SUCCEEDED, summary.status(), summary.toString());
      List<Run> runs = store.runs().byBenchmark(id);
      assertEquals(2, runs.size());
      for (Run r : runs) {
        assertEquals(RunStatus.SUCCEEDED, r.status(), r.error());
        assertEquals(List.of(0, 1, 2, 3),
            store.epochMetrics().forRun(r.id()).stream().map(EpochMetric::epoch).toList());
        assertEquals(1, store.results().forRun(r.id()).size());
      }
    } finally {
      if (second != null) {
        second.close();
      }
    }
  }

  private static int firstEpochs(MetricsStore store, String benchmarkId) {
    try {
      return store.runs().byBenchmark(benchmarkId).stream().mapToInt(r -> store.epochMetrics().forRun(r.id()).size())
          .sum();
    } catch (RuntimeException e) {
      return 0; // not registered yet
    }
  }
}
