package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.train.Checkpoint;
import dev.lossbench.schema.MetricsStore;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A succeeded run's directory holds what the matrix's training {@code checkpoints} says. Today every run kept
 * last, previous and best checkpoints, each with the optimizer's moments: 6.2 GB for a CLIP-sized module.
 */
@ExtendWith(MetricsStoreExtension.class)
class CheckpointRetentionTest {
  @TempDir
  Path artifacts;
  private TestWorkflowEnvironment env;
  private BenchmarkClient client;

  @BeforeEach
  void start(MetricsStore store) {
    env = TestWorkflowEnvironment.newInstance();
    WorkerHost.register(env.getWorkerFactory(), Set.copyOf(TaskQueues.ALL), store, artifacts, "test-worker");
    env.start();
    client = new BenchmarkClient(env.getWorkflowClient());
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void byDefaultASucceededRunKeepsOnlyTheBestWeights() throws Exception {
    Path run = succeeded("keep-default", "");
    assertEquals(Set.of("best.ckpt"), files(run));
    assertTrue(Checkpoint.read(ArtifactsLayout.bestCheckpoint(run)).optimizer().isEmpty(), "no optimizer state");
  }

  @Test
  void bestAndLastKeepsTheResumableCheckpointToo() throws Exception {
    Path run = succeeded("keep-best-last", ", checkpoints: best+last");
    assertEquals(Set.of("best.ckpt", "last.ckpt"), files(run));
    assertFalse(Checkpoint.read(ArtifactsLayout.lastCheckpoint(run)).optimizer().isEmpty(), "resumable");
  }

  @Test
  void allKeepsEverything() throws Exception {
    Path run = succeeded("keep-all", ", checkpoints: all");
    assertEquals(Set.of("best.ckpt", "last.ckpt", "prev.ckpt"), files(run));
    assertFalse(Checkpoint.read(ArtifactsLayout.bestCheckpoint(run)).optimizer().isEmpty());
  }

  private Path succeeded(String name, String trainingExtra) throws Exception {
    String yaml = Matrices.tiny(name, Matrices.SYNTHETIC, "'vse-mean:embed_dim=16,word_dim=8'", "infonce", 1, 2)
        .replace("max_steps_per_epoch: 2}", "max_steps_per_epoch: 2" + trainingExtra + "}");
    BenchmarkSpec spec = Matrices.parse(yaml, artifacts);
    BenchmarkSummary summary = client.await(client.submit(spec, OrchestrationSettings.defaults()).benchmarkId(),
        Duration.ofSeconds(1), ProgressListener.NONE);
    assertEquals(RunPhase.SUCCEEDED, summary.status());
    return new ArtifactsLayout(artifacts).run(RunIds.ofCell(spec.cells().get(0).id()));
  }

  private static Set<String> files(Path dir) throws java.io.IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
