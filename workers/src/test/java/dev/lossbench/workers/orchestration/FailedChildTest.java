package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.BenchmarkStatus;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.ActivityPolicies;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.activities.TrainingActivities;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.benchmark.BenchmarkWorkflowImpl;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.run.RunOutcome;
import dev.lossbench.workflows.run.RunPhase;
import dev.lossbench.workflows.run.RunRequest;
import dev.lossbench.workflows.run.RunWorkflow;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run workflow that fails outright — not through an activity failure it handles, but the workflow itself —
 * records nothing: the benchmark records its run failed, with the reason.
 *
 * <p>Termination through the client is the operator's way to get there, but Temporal's in-process test server
 * does not tell a parent that its child was terminated (it reports failed, timed-out and cancelled children
 * only), so the child here fails by itself, after training has put its run row at {@code running}.
 */
@ExtendWith(MetricsStoreExtension.class)
class FailedChildTest {
  @TempDir
  Path artifacts;

  /** Trains, as the real run workflow does, then fails outright instead of recording the run's end. */
  public static final class BrokenRunWorkflow implements RunWorkflow {
    @Override
    public RunOutcome run(RunRequest request) {
      Workflow.newActivityStub(TrainingActivities.class, ActivityPolicies.training(request.settings()))
          .train(request.plan());
      throw ApplicationFailure.newNonRetryableFailure("the run workflow broke after training", "Broken");
    }
  }

  @Test
  void aRunWorkflowThatFailsOutrightLeavesItsRunFailedWithTheReason(MetricsStore store) throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
      env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(BenchmarkWorkflowImpl.class,
          BrokenRunWorkflow.class);
      WorkerHost.register(env.getWorkerFactory(), Set.of(TaskQueues.CPU, TaskQueues.GPU), store, artifacts,
          "test-worker");
      env.start();
      BenchmarkClient client = new BenchmarkClient(env.getWorkflowClient());
      BenchmarkSpec spec = Matrices
          .parse(Matrices.tiny("broken", Matrices.SYNTHETIC, "'vse-mean:embed_dim=16,word_dim=8'",
              "infonce", 1, 1), artifacts);
      String id = client.submit(spec, OrchestrationSettings.defaults()).benchmarkId();
      String runId = RunIds.ofCell(spec.cells().get(0).id());

      BenchmarkSummary summary = client.await(id, Duration.ofMillis(200), ProgressListener.NONE);

      assertEquals(RunPhase.FAILED, summary.status());
      Run run = store.runs().find(runId).orElseThrow();
      assertEquals(RunStatus.FAILED, run.status(), "the run row does not stay running");
      assertEquals("run workflow " + runId + " failed: the run workflow broke after training", run.error());
      assertEquals(run.error(), summary.problems().get(0).error(), "the benchmark's own view says the same");
      assertEquals(1, store.epochMetrics().forRun(runId).size(), "the training before it is kept");
      assertEquals(BenchmarkStatus.FAILED, store.benchmarks().find(id).orElseThrow().status());
    }
  }
}
