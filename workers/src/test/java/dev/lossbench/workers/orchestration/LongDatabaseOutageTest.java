package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
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

/**
 * The store down mid-epoch for longer than the training's whole retry budget: the attempt waits for it instead of
 * failing, and the run ends with the figures of a run that was never interrupted. The budget is shrunk to two
 * attempts (2 s of backoff) so that a 20 s outage exceeds it; before attempts waited, this run failed.
 */
class LongDatabaseOutageTest {
  private static final Duration OUTAGE = Duration.ofSeconds(20);
  // two attempts, 2 s apart: an outage longer than a few seconds used to fail the run
  private static final OrchestrationSettings SMALL_RETRY_BUDGET = new OrchestrationSettings(180, 72, 2);

  @TempDir
  Path home;
  @TempDir
  Path artifacts;

  @Test
  void trainingWaitsForTheStoreAndEndsWithTheUninterruptedFigures() throws Exception {
    EmbeddedPostgresServer first = EmbeddedPostgresServer.start(home);
    int port = first.port();
    EmbeddedPostgresServer second = null;
    try (MetricsStore store = MetricsStore.open(Database.embedded(first));
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
      WorkerHost.register(env.getWorkerFactory(), Set.copyOf(TaskQueues.ALL), store, artifacts, "test-worker");
      env.start();
      BenchmarkClient client = new BenchmarkClient(env.getWorkflowClient());

      String reference = client.submit(spec("reference"), SMALL_RETRY_BUDGET).benchmarkId();
      assertEquals(RunPhase.SUCCEEDED,
          client.await(reference, Duration.ofSeconds(1), ProgressListener.NONE).status());

      String id = client.submit(spec("outage"), SMALL_RETRY_BUDGET).benchmarkId();
      CompletableFuture<BenchmarkSummary> done = CompletableFuture.supplyAsync(
          () -> client.await(id, Duration.ofSeconds(1), ProgressListener.NONE));
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (epochs(store, id) == 0) {
        assertTrue(System.nanoTime() < deadline, "no epoch finished in time");
        Thread.sleep(20);
      }
      first.close(); // mid-training: epoch 0 is stored, epoch 1 is running
      Thread.sleep(OUTAGE.toMillis());
      second = EmbeddedPostgresServer.start(home, port);

      BenchmarkSummary summary = done.get();
      assertEquals(RunPhase.SUCCEEDED, summary.status(), summary.toString());
      Run run = store.runs().byBenchmark(id).get(0);
      Run uninterrupted = store.runs().byBenchmark(reference).get(0);
      assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
      assertEquals(1, run.attempts(), "the outage spent no attempt");
      assertEquals(figures(store, uninterrupted), figures(store, run), "the figures of an uninterrupted run");
      assertEquals(results(store, uninterrupted), results(store, run));
    } finally {
      if (second != null) {
        second.close();
      }
    }
  }

  private BenchmarkSpec spec(String name) {
    return Matrices.parse(Matrices.tiny(name, Matrices.SYNTHETIC, "'vse-gpo:embed_dim=32,word_dim=16'", "infonce", 1, 4)
        .replace("max_steps_per_epoch: 2", "max_steps_per_epoch: 12"), artifacts);
  }

  /** Per epoch: train loss, validation Recall@K, learning rate, gradient norm (not the timings). */
  private static List<List<Object>> figures(MetricsStore store, Run run) {
    return store.epochMetrics().forRun(run.id()).stream()
        .map(m -> List.<Object>of(m.epoch(), m.trainLoss(), m.validation(), m.learningRate(),
            String.valueOf(m.gradNorm())))
        .toList();
  }

  private static List<List<Object>> results(MetricsStore store, Run run) {
    return store.results().forRun(run.id()).stream()
        .map(r -> List.<Object>of(r.split(), r.rsum()))
        .toList();
  }

  private static int epochs(MetricsStore store, String benchmarkId) {
    try {
      return store.runs().byBenchmark(benchmarkId).stream().mapToInt(r -> store.epochMetrics().forRun(r.id()).size())
          .sum();
    } catch (RuntimeException e) {
      return 0; // not registered yet
    }
  }
}
