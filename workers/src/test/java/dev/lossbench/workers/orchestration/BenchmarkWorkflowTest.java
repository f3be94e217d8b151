package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.run.RunPhase;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Whole benchmarks on Temporal's test server with the real activities, engine and PostgreSQL. */
@ExtendWith(MetricsStoreExtension.class)
class BenchmarkWorkflowTest {
  @TempDir
  Path artifacts;
  private TestWorkflowEnvironment env;

  private BenchmarkClient start(MetricsStore store) {
    env = TestWorkflowEnvironment.newInstance();
    WorkerHost.register(env.getWorkerFactory(), Set.copyOf(TaskQueues.ALL), store, artifacts, "test-worker");
    env.start();
    return new BenchmarkClient(env.getWorkflowClient());
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void aTwoByTwoByTwoMatrixCompletesWithEveryRowOnce(MetricsStore store) {
    BenchmarkClient client = start(store);
    BenchmarkSpec spec = Matrices.parse(Matrices.tiny("grid", Matrices.SYNTHETIC,
        "'vse-mean:embed_dim=16,word_dim=8', 'vse-max:embed_dim=16,word_dim=8'", "infonce, 'unified:gamma=20'", 2, 2),
        artifacts);
    assertEquals(8, spec.cells().size());
    BenchmarkClient.Submission sub = client.submit(spec, OrchestrationSettings.defaults());
    BenchmarkSummary summary = client.await(sub.benchmarkId(), Duration.ofSeconds(1), ProgressListener.NONE);

    assertEquals(RunPhase.SUCCEEDED, summary.status(), summary.toString());
    List<Run> runs = store.runs().byBenchmark(sub.benchmarkId());
    assertEquals(8, runs.size());
    for (Run r : runs) {
      assertEquals(RunStatus.SUCCEEDED, r.status(), r.id() + ": " + r.error());
      // the device the attempt trained on (these tests run on the CPU libtorch): no device memory there
      assertEquals("cpu", r.device(), r.id());
      assertNull(r.peakDeviceMemoryBytes(), r.id());
      assertEquals(List.of(0, 1), store.epochMetrics().forRun(r.id()).stream().map(m -> m.epoch()).toList());
      assertEquals(List.of("test"), store.results().forRun(r.id()).stream().map(x -> x.split()).toList());
      assertEquals(RunIds.ofCell(spec.cells().stream()
          .filter(c -> RunIds.ofCell(c.id()).equals(r.id())).findFirst().orElseThrow().id()), r.id());
    }
    assertEquals(8, store.reports().leaderboard(sub.benchmarkId()).stream().mapToLong(l -> l.seeds()).sum());
    // the workflow's last step stored the comparison engine's verdicts (nothing has read them yet)
    assertTrue(store.comparisons().exists(sub.benchmarkId()), "comparisons stored when the benchmark finished");
  }
}
