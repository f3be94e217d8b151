package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.record.TrainingAttempt;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workers.activities.EvaluationActivitiesImpl;
import dev.lossbench.workers.activities.SplitOpener;
import dev.lossbench.workers.activities.TrainingActivitiesImpl;
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

/**
 * Memory run out during training ends the run after one attempt with one line saying what to change. Today an
 * out-of-memory attempt was retried like a lost worker: the same settings ran out again, seven times.
 */
@ExtendWith(MetricsStoreExtension.class)
class OutOfMemoryTest {
  @TempDir
  Path artifacts;
  private TestWorkflowEnvironment env;

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  /** The Java heap: an allocation failure injected where the training attempt opens its data. */
  @Test
  void aJavaHeapOutOfMemoryFailsTheRunOnceNamingTheHeapOption(MetricsStore store) throws Exception {
    Run run = trainWith(store, "heap", (spec, dir, split, model) -> {
      if (split == DatasetSplit.TRAIN) {
        throw new OutOfMemoryError("Java heap space");
      }
      return SplitOpener.STANDARD.open(spec, dir, split, model);
    });
    assertEquals(RunStatus.FAILED, run.status());
    assertEquals(1, run.attempts(), "not retried: " + run.error());
    assertTrue(run.error().startsWith("out of memory: the Java heap (Java heap space, limit "), run.error());
    assertTrue(run.error().contains("LOSSBENCH_JAVA_OPTS=-Xmx") && run.error().contains("batch_size"), run.error());
    assertFalse(run.error().contains("\n"), run.error());
    // the attempt's own row says how it ended, in the same words (issue #25: retry reasons per attempt)
    assertEquals(List.of(run.error()),
        store.attempts().byRun(run.id()).stream().map(TrainingAttempt::failure).toList());
  }

  /** libtorch's allocator: a real refusal (a 4 PiB tensor, beyond any address space), not an injected exception. */
  @Test
  void aNativeAllocationFailureFailsTheRunOnceWithLibtorchsSentence(MetricsStore store) throws Exception {
    Run run = trainWith(store, "native", (spec, dir, split, model) -> {
      if (split == DatasetSplit.TRAIN) {
        try (NDManager m = NDManager.newBaseManager()) {
          m.zeros(new Shape(1L << 50));
        }
      }
      return SplitOpener.STANDARD.open(spec, dir, split, model);
    });
    assertEquals(RunStatus.FAILED, run.status());
    assertEquals(1, run.attempts(), "not retried: " + run.error());
    assertTrue(run.error().startsWith("out of memory in libtorch ("), run.error());
    assertTrue(run.error().contains("batch_size"), run.error());
    assertFalse(run.error().contains("\n"), run.error());
  }

  private Run trainWith(MetricsStore store, String name, SplitOpener opener) throws Exception {
    env = TestWorkflowEnvironment.newInstance();
    WorkerHost.register(env.getWorkerFactory(), Set.of(TaskQueues.WORKFLOWS, TaskQueues.CPU), store, artifacts, "test");
    env.newWorker(TaskQueues.GPU).registerActivitiesImplementations(
        new TrainingActivitiesImpl(store, artifacts, "oom", opener), new EvaluationActivitiesImpl(store, opener));
    env.start();
    BenchmarkClient client = new BenchmarkClient(env.getWorkflowClient());
    BenchmarkSpec spec = Matrices.parse(Matrices.tiny(name, Matrices.SYNTHETIC, "'vse-mean:embed_dim=16,word_dim=8'",
        "infonce", 1, 1), artifacts);
    BenchmarkSummary summary = client.await(client.submit(spec, OrchestrationSettings.defaults()).benchmarkId(),
        Duration.ofSeconds(1), ProgressListener.NONE);
    assertEquals(RunPhase.FAILED, summary.status());
    return store.runs().find(RunIds.ofCell(spec.cells().get(0).id())).orElseThrow();
  }
}
