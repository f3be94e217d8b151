package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.benchmark.BenchmarkWorkflowImpl;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.run.RunWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays recorded workflow histories against the current workflow code: a change that would
 * make running benchmarks fail on replay (non-determinism) fails here. Re-record deliberately
 * (and bump workflow versions with Workflow.getVersion) with
 * {@code mvn -pl workers test -Dtest=WorkflowReplayTest -Dlossbench.recordHistories=true}.
 */
@ExtendWith(MetricsStoreExtension.class)
class WorkflowReplayTest {
  static final Path HISTORIES = Path.of("src/test/resources/histories");

  @Test
  void recordedBenchmarkHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history("benchmark.json"), BenchmarkWorkflowImpl.class);
  }

  @Test
  void recordedRunHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history("run.json"), RunWorkflowImpl.class);
  }

  /** An adaptive benchmark (successive halving and sequential seeds), recorded when adaptive matrices came. */
  @Test
  void recordedAdaptiveBenchmarkHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history("adaptive-benchmark.json"), BenchmarkWorkflowImpl.class);
  }

  @Test
  void aHistoryFromOtherCodeIsCaught() throws Exception {
    // a run's history replayed as a benchmark workflow must not pass: the replayer does detect mismatches
    assertThrows(Exception.class,
        () -> WorkflowReplayer.replayWorkflowExecution(history("run.json"), BenchmarkWorkflowImpl.class));
  }

  private static WorkflowExecutionHistory history(String name) throws Exception {
    return WorkflowExecutionHistory.fromJson(Files.readString(HISTORIES.resolve(name)));
  }

  /**
   * Records the adaptive benchmark's history when asked to ({@code -Dlossbench.recordAdaptiveHistory=true}), leaving
   * the others, recorded before adaptive matrices, as they are.
   */
  @Test
  void recordAdaptiveWhenAsked(MetricsStore store, @TempDir Path artifacts) throws Exception {
    if (!Boolean.getBoolean("lossbench.recordAdaptiveHistory")) {
      assertTrue(Files.exists(HISTORIES.resolve("adaptive-benchmark.json")));
      return;
    }
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      WorkerHost.register(env.getWorkerFactory(), Set.copyOf(TaskQueues.ALL), store, artifacts, "recorder");
      env.start();
      BenchmarkClient client = new BenchmarkClient(env.getWorkflowClient());
      BenchmarkSpec spec = Matrices.parse(Matrices.tiny("replay-adaptive", Matrices.SYNTHETIC,
          "'vse-mean:embed_dim=16,word_dim=8'", "triplet-hn, infonce, 'unified:gamma=20'", 2, 2)
          .replace("seeds: 2", "seeds: {min: 2, max: 3}")
          + "adaptive: {early_stopping: {rule: successive-halving, grace_epochs: 1, reduction_factor: 2}}\n",
          artifacts);
      String id = client.submit(spec, OrchestrationSettings.defaults()).benchmarkId();
      client.await(id, Duration.ofSeconds(1), ProgressListener.NONE);
      Files.createDirectories(HISTORIES);
      Files.writeString(HISTORIES.resolve("adaptive-benchmark.json"),
          env.getWorkflowClient().fetchHistory(id).toJson(true));
    }
  }

  /** Records fresh histories when asked to (not part of the normal run, which replays the checked-in ones). */
  @Test
  void recordWhenAsked(MetricsStore store, @TempDir Path artifacts) throws Exception {
    if (!Boolean.getBoolean("lossbench.recordHistories")) {
      assertTrue(Files.exists(HISTORIES.resolve("benchmark.json")) && Files.exists(HISTORIES.resolve("run.json")));
      return;
    }
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      WorkerHost.register(env.getWorkerFactory(), Set.copyOf(TaskQueues.ALL), store, artifacts, "recorder");
      env.start();
      BenchmarkClient client = new BenchmarkClient(env.getWorkflowClient());
      BenchmarkSpec spec = Matrices
          .parse(Matrices.tiny("replay", Matrices.SYNTHETIC, "'vse-mean:embed_dim=16,word_dim=8'",
              "infonce, 'unified:gamma=20'", 1, 1), artifacts);
      String id = client.submit(spec, OrchestrationSettings.defaults()).benchmarkId();
      client.await(id, Duration.ofSeconds(1), ProgressListener.NONE);
      Files.createDirectories(HISTORIES);
      Files.writeString(HISTORIES.resolve("benchmark.json"), env.getWorkflowClient().fetchHistory(id).toJson(true));
      String runId = RunIds.ofCell(spec.cells().get(0).id());
      Files.writeString(HISTORIES.resolve("run.json"), env.getWorkflowClient().fetchHistory(runId).toJson(true));
    }
  }
}
