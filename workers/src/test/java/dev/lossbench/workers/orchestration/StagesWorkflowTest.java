package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.PrecompDataset;
import dev.lossbench.retrieval.data.SyntheticConfig;
import dev.lossbench.retrieval.data.SyntheticScenes;
import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.train.Checkpoint;
import dev.lossbench.retrieval.train.CheckpointState;
import dev.lossbench.retrieval.train.EpochMetrics;
import dev.lossbench.retrieval.train.TrainingListener;
import dev.lossbench.retrieval.train.TrainingLoop;
import dev.lossbench.retrieval.train.TrainingResult;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workers.activities.EvaluationActivitiesImpl;
import dev.lossbench.workers.activities.TrainingActivitiesImpl;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.activities.TrainingActivities;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.benchmark.RunState;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.Cell;
import dev.lossbench.workflows.run.RunPhase;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A matrix with a fine-tuning stage: parents run first, children start from their best checkpoints. */
@ExtendWith(MetricsStoreExtension.class)
class StagesWorkflowTest {
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

  static final String DATASETS = """
        - name: target
          kind: synthetic
          params: {train_images: 40, dev_images: 16, test_images: 16, seed: 3, domain: 1}
          init: {from: scenes, loss: infonce}
      """ + Matrices.SYNTHETIC;

  @Test
  void fineTuningCellsWaitForTheirParentsAndStartFromTheirBestCheckpoints(MetricsStore store, @TempDir Path data,
      @TempDir Path manual, @TempDir Path cold) throws Exception {
    BenchmarkSpec spec = Matrices.parse(Matrices.tiny("stages", DATASETS, "'vse-mean:embed_dim=16,word_dim=8'",
        "infonce, unified", 1, 2), artifacts);
    assertEquals(4, spec.cells().size());
    BenchmarkClient.Submission s = client.submit(spec, OrchestrationSettings.defaults());
    BenchmarkSummary summary = client.await(s.benchmarkId(), Duration.ofSeconds(1), ProgressListener.NONE);
    assertEquals(RunPhase.SUCCEEDED, summary.status(), summary.toString());

    List<Cell> children = spec.cells().stream().filter(c -> c.parent() != null).toList();
    assertEquals(2, children.size());
    Cell parentCell = spec.cells().stream().filter(c -> c.id().equals(children.get(0).parent())).findFirst()
        .orElseThrow();
    String parentRun = RunIds.ofCell(parentCell.id());
    Run parent = store.runs().find(parentRun).orElseThrow();
    Path parentBest = ArtifactsLayout.bestCheckpoint(new ArtifactsLayout(artifacts).run(parentRun));
    for (Cell child : children) {
      assertEquals(parentCell.id(), child.parent(), "both variants start from the infonce parent");
      String runId = RunIds.ofCell(child.id());
      Run run = store.runs().find(runId).orElseThrow();
      assertFalse(run.startedAt().isBefore(parent.finishedAt()), "a child starts after its parent finished");
      // a succeeded run keeps its best checkpoint only (training checkpoints: best); it holds the first epoch too
      CheckpointState ckpt = Checkpoint.read(ArtifactsLayout.bestCheckpoint(new ArtifactsLayout(artifacts).run(runId)));
      assertTrue(ckpt.run().training().contains("init " + parentBest), ckpt.run().training());
    }

    // the child's first epoch equals a fine-tuning from the parent's checkpoint done by hand, and not a cold start
    Cell child = children.get(0);
    new SyntheticScenes(child.dataset().synthetic()).generate(data);
    TrainingLoop loop = new TrainingLoop(PrecompDataset.open(data, DatasetSplit.TRAIN),
        PrecompDataset.open(data, DatasetSplit.DEV),
        child.modelSpec(), child.lossSpec(), child.trainingConfig(), child.seed());
    TrainingResult byHand = loop.startingFrom(parentBest, List.of()).run(manual, TrainingListener.NONE);
    TrainingResult coldStart = loop.run(cold, TrainingListener.NONE);
    EpochMetrics recorded = Checkpoint.read(ArtifactsLayout.bestCheckpoint(new ArtifactsLayout(artifacts).run(
        RunIds.ofCell(child.id())))).history().get(0);
    assertEquals(byHand.history().get(0).validation(), recorded.validation());
    assertEquals(byHand.history().get(0).trainLoss(), recorded.trainLoss());
    assertNotEquals(coldStart.history().get(0).trainLoss(), recorded.trainLoss());

    // init: {checkpoint: FILE} with the parent's bytes trains exactly as the stage did
    Path given = Files.copy(parentBest, manual.resolve("given.ckpt"));
    String fromFile = """
          - name: target
            kind: synthetic
            params: {train_images: 40, dev_images: 16, test_images: 16, seed: 3, domain: 1}
            init: {checkpoint: %s}
        """.formatted(given);
    BenchmarkSpec fileSpec = Matrices.parse(Matrices.tiny("from-file", fromFile, "'vse-mean:embed_dim=16,word_dim=8'",
        "'" + child.loss() + "'", 1, 2), artifacts);
    Cell fileCell = fileSpec.cells().get(0);
    assertEquals(given.toString(), fileCell.initCheckpoint());
    BenchmarkClient.Submission fs = client.submit(fileSpec, OrchestrationSettings.defaults());
    assertEquals(RunPhase.SUCCEEDED,
        client.await(fs.benchmarkId(), Duration.ofSeconds(1), ProgressListener.NONE).status());
    CheckpointState fileRun = Checkpoint.read(ArtifactsLayout.bestCheckpoint(new ArtifactsLayout(artifacts).run(
        RunIds.ofCell(fileCell.id()))));
    assertTrue(fileRun.run().training().contains("init " + given), fileRun.run().training());
    assertEquals(recorded.validation(), fileRun.history().get(0).validation());
    assertEquals(recorded.trainLoss(), fileRun.history().get(0).trainLoss());
  }

  /**
   * The whole stack dies after the first stage finished and before its child trained (the embedded
   * server's state goes with it, as with {@code kill -9} of {@code lossbench run}); submitting the
   * matrix again on a fresh server trains only what is missing, the child from the parent's checkpoint.
   */
  @Test
  void aBenchmarkKilledBetweenStagesResumesWithoutRetrainingTheFirstStage(MetricsStore store) throws Exception {
    env.close();
    env = TestWorkflowEnvironment.newInstance();
    java.util.concurrent.CountDownLatch childReached = new java.util.concurrent.CountDownLatch(1);
    WorkerHost.register(env.getWorkerFactory(), Set.of(TaskQueues.WORKFLOWS, TaskQueues.CPU), store, artifacts,
        "first");
    TrainingActivities real = new TrainingActivitiesImpl(store, artifacts, "first");
    env.newWorker(TaskQueues.GPU).registerActivitiesImplementations((TrainingActivities) plan -> {
      if (plan.cell().parent() != null) {
        childReached.countDown();
        try {
          new java.util.concurrent.CountDownLatch(1).await(); // the machine dies here
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("worker shut down");
      }
      return real.train(plan);
    }, new EvaluationActivitiesImpl(store));
    env.start();
    BenchmarkSpec spec = Matrices.parse(Matrices.tiny("killed-between", DATASETS, "'vse-mean:embed_dim=16,word_dim=8'",
        "infonce", 1, 2), artifacts);
    Cell parentCell = spec.cells().get(0);
    Cell childCell = spec.cells().get(1);
    assertEquals(parentCell.id(), childCell.parent());
    String benchmarkId = new BenchmarkClient(env.getWorkflowClient()).submit(spec, OrchestrationSettings.defaults())
        .benchmarkId();
    assertTrue(childReached.await(120, java.util.concurrent.TimeUnit.SECONDS), "the child stage was reached");
    env.close();

    String parentRun = RunIds.ofCell(parentCell.id());
    String childRun = RunIds.ofCell(childCell.id());
    Run parentBefore = store.runs().find(parentRun).orElseThrow();
    assertEquals(RunStatus.SUCCEEDED, parentBefore.status());
    assertNotEquals(RunStatus.SUCCEEDED, store.runs().find(childRun).orElseThrow().status());

    env = TestWorkflowEnvironment.newInstance();
    WorkerHost.register(env.getWorkerFactory(), Set.copyOf(TaskQueues.ALL), store, artifacts, "second");
    env.start();
    client = new BenchmarkClient(env.getWorkflowClient());
    BenchmarkSummary resumed = client.await(client.submit(spec, OrchestrationSettings.defaults()).benchmarkId(),
        Duration.ofSeconds(1), ProgressListener.NONE);
    assertEquals(RunPhase.SUCCEEDED, resumed.status(), resumed.toString());
    Run parentAfter = store.runs().find(parentRun).orElseThrow();
    Run childAfter = store.runs().find(childRun).orElseThrow();
    assertEquals(1, parentAfter.attempts(), "the first stage was not trained again");
    assertEquals(parentBefore.finishedAt(), parentAfter.finishedAt());
    assertEquals(RunStatus.SUCCEEDED, childAfter.status());
    assertEquals("second", childAfter.worker());
    assertEquals(2, store.epochMetrics().forRun(parentRun).size());
    assertEquals(2, store.epochMetrics().forRun(childRun).size());
    CheckpointState ckpt = Checkpoint
        .read(ArtifactsLayout.bestCheckpoint(new ArtifactsLayout(artifacts).run(childRun)));
    assertTrue(ckpt.run().training().contains("init " + ArtifactsLayout.bestCheckpoint(
        new ArtifactsLayout(artifacts).run(parentRun))), ckpt.run().training());
  }

  @Test
  void aChildOfAFailedParentFailsNamingItAndResumeRunsBothStages(MetricsStore store, @TempDir Path realData)
      throws Exception {
    new SyntheticScenes(SyntheticConfig.defaults().withImages(40, 16, 16).withSeed(9)).generate(realData);
    Path ims = realData.resolve("train_ims.npy");
    byte[] good = Files.readAllBytes(ims);
    Files.write(ims, Arrays.copyOf(good, good.length / 2));
    String datasets = """
          - name: tuned
            kind: synthetic
            params: {train_images: 40, dev_images: 16, test_images: 16, seed: 3}
            init: {from: real}
          - name: real
            kind: precomp
            path: %s
        """.formatted(realData);
    BenchmarkSpec spec = Matrices.parse(Matrices.tiny("stagefail", datasets, "'vse-mean:embed_dim=16,word_dim=8'",
        "infonce", 1, 1), artifacts);
    BenchmarkClient.Submission s = client.submit(spec, OrchestrationSettings.defaults());
    BenchmarkSummary first = client.await(s.benchmarkId(), Duration.ofSeconds(1), ProgressListener.NONE);
    assertEquals(RunPhase.FAILED, first.status());
    Map<String, RunState> states = first.problems().stream().collect(Collectors.toMap(RunState::dataset, r -> r));
    assertEquals(RunPhase.FAILED, states.get("real").status());
    Run child = store.runs().find(states.get("tuned").runId()).orElseThrow();
    assertEquals(RunStatus.FAILED, child.status());
    assertTrue(child.error().contains(states.get("real").runId()) && child.error().contains("parent"), child.error());
    assertNull(child.startedAt(), "the child never trained");

    Files.write(ims, good);
    BenchmarkSummary resumed = client.await(client.submit(spec, OrchestrationSettings.defaults()).benchmarkId(),
        Duration.ofSeconds(1), ProgressListener.NONE);
    assertEquals(RunPhase.SUCCEEDED, resumed.status(), resumed.toString());
    Run parentAfter = store.runs().find(states.get("real").runId()).orElseThrow();
    Run childAfter = store.runs().find(states.get("tuned").runId()).orElseThrow();
    assertEquals(RunStatus.SUCCEEDED, childAfter.status());
    assertFalse(childAfter.startedAt().isBefore(parentAfter.finishedAt()));
  }
}
