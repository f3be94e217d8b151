package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.BenchmarkStatus;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Cancelling a benchmark stops its running training and marks every unfinished run cancelled. */
@ExtendWith(MetricsStoreExtension.class)
class CancellationTest {
  @TempDir
  Path artifacts;

  @Test
  void cancellingABenchmarkStopsTrainingAndMarksRunsCancelled(MetricsStore store) throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
      WorkerHost.register(env.getWorkerFactory(), Set.copyOf(TaskQueues.ALL), store, artifacts, "test-worker");
      env.start();
      BenchmarkClient client = new BenchmarkClient(env.getWorkflowClient());
      BenchmarkSpec spec = Matrices.parse(
          Matrices.tiny("cancel", Matrices.SYNTHETIC, "'vse-gpo:embed_dim=32,word_dim=16'",
              "infonce, 'unified:gamma=20'", 1, 200).replace("max_parallel_runs: 2", "max_parallel_runs: 1"),
          artifacts);
      String id = client.submit(spec, OrchestrationSettings.defaults()).benchmarkId();

      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (epochs(store, id) < 2) {
        assertTrue(System.nanoTime() < deadline, "training did not start in time");
        Thread.sleep(50);
      }
      WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(id);
      stub.cancel();
      assertThrows(WorkflowFailedException.class,
          () -> stub.getResult(30, java.util.concurrent.TimeUnit.SECONDS, Object.class));

      List<Run> runs = store.runs().byBenchmark(id);
      assertEquals(2, runs.size());
      for (Run r : runs) {
        assertEquals(RunStatus.CANCELLED, r.status(), r.id() + " " + r.error());
      }
      assertEquals(BenchmarkStatus.CANCELLED, store.benchmarks().find(id).orElseThrow().status());
      int stoppedAt = epochs(store, id);
      Thread.sleep(3000);
      assertEquals(stoppedAt, epochs(store, id), "the training stopped: no epoch is recorded after the cancellation");
      assertTrue(stoppedAt < 200, "it did not simply run to the end");
    }
  }

  private static int epochs(MetricsStore store, String benchmarkId) {
    try {
      return store.runs().byBenchmark(benchmarkId).stream().mapToInt(r -> store.epochMetrics().forRun(r.id()).size())
          .sum();
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
