package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.FirstImages;
import dev.lossbench.retrieval.data.PrecompDataset;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.data.SyntheticScenes;
import dev.lossbench.retrieval.eval.Embeddings;
import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.train.ModelAssembly;
import dev.lossbench.retrieval.train.TrainedModel;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.LeaderboardRow;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workers.study.Study;
import dev.lossbench.workers.study.StudyInput;
import dev.lossbench.workers.study.StudyOptions;
import dev.lossbench.workers.study.StudyResult;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.Cell;
import dev.lossbench.workflows.run.RunPhase;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protocol {@code gap} end to end (issue #16): a run evaluated with {@code protocols: [test, gap]} stores rows
 * {@code test}, {@code gap-train} and {@code gap-test}; the gap rows are Recall@K of the trained model on the first
 * n training and n test images (n = min(40, 16) = 16: here all test images, so {@code gap-test} equals
 * {@code test}); the leaderboard ranks by {@code test} only and never marks a gap row primary; the study reads them.
 */
@ExtendWith(MetricsStoreExtension.class)
class GapProtocolTest {
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
  void gapStoresTrainAndTestRecallOnEqualGalleriesBesideThePrimarySplit(MetricsStore store, @TempDir Path data)
      throws Exception {
    String datasets = """
          - name: scenes
            kind: synthetic
            params: {train_images: 40, dev_images: 16, test_images: 16, seed: 3}
            protocols: [test, gap]
        """;
    BenchmarkSpec spec = Matrices.parse(Matrices.tiny("gap", datasets, "'vse-mean:embed_dim=16,word_dim=8'",
        "infonce, 'unified:margin=0.2'", 1, 2), artifacts);
    BenchmarkClient.Submission s = client.submit(spec, OrchestrationSettings.defaults());
    BenchmarkSummary summary = client.await(s.benchmarkId(), Duration.ofSeconds(1), ProgressListener.NONE);
    assertEquals(RunPhase.SUCCEEDED, summary.status(), summary.toString());

    Cell cell = spec.cells().get(0);
    String runId = RunIds.ofCell(cell.id());
    Map<String, Result> rows = store.results().forRun(runId).stream()
        .collect(Collectors.toMap(Result::split, r -> r));
    assertEquals(Set.of("test", "gap-train", "gap-test"), rows.keySet());
    assertFalse(store.runs().find(runId).orElseThrow().validationIsTest(), "synthetic data has its own dev split");

    // the stored rows are the model's recall on the first 16 images of each split, K captions each
    new SyntheticScenes(cell.dataset().synthetic()).generate(data);
    RetrievalDataset train = PrecompDataset.open(data, DatasetSplit.TRAIN);
    RetrievalDataset test = PrecompDataset.open(data, DatasetSplit.TEST);
    Path best = ArtifactsLayout.bestCheckpoint(new ArtifactsLayout(artifacts).run(runId));
    try (NDManager m = NDManager.newBaseManager(); TrainedModel model = ModelAssembly.restore(best, m)) {
      double onTrain = Embeddings
          .recall(model.model(), FirstImages.of(train, 16, test.captionsPerImage()), model.tokenizer(), m, 1).rsum();
      double onTest = Embeddings.recall(model.model(), test, model.tokenizer(), m, 1).rsum();
      assertEquals(onTrain, rows.get("gap-train").rsum(), 1e-9);
      assertEquals(onTest, rows.get("gap-test").rsum(), 1e-9);
    }
    assertEquals(rows.get("test").rsum(), rows.get("gap-test").rsum(), 1e-9, "n = all 16 test images");

    // the leaderboard ranks by test; the gap rows are there, never primary
    List<LeaderboardRow> headline = store.reports().leaderboard(s.benchmarkId());
    assertEquals(2, headline.size());
    assertTrue(headline.stream().allMatch(r -> r.split().equals("test") && r.primary()), headline.toString());
    for (String split : List.of("gap-train", "gap-test")) {
      List<LeaderboardRow> gap = store.reports().leaderboard(s.benchmarkId(), split);
      assertEquals(2, gap.size(), split);
      assertTrue(gap.stream().noneMatch(LeaderboardRow::primary), split);
    }

    // the study reads them: train rSum@16, test rSum@16 and their difference per seed
    StudyResult study = Study.compute(StudyInput.load(store, s.benchmarkId()), StudyOptions.defaults());
    assertEquals(16L, study.datasets().get(0).gapImages());
    assertTrue(study.gapRecorded("scenes"));
    StudyResult.GapRow judged = study.gap().stream().filter(g -> g.variant().equals("unified:margin=0.2"))
        .findFirst().orElseThrow();
    assertEquals("unified (judged)", judged.role());
    String judgedRun = RunIds.ofCell(spec.cells().stream()
        .filter(c -> c.lossLabel().equals("unified:margin=0.2")).findFirst().orElseThrow().id());
    double trainRsum = store.results().find(judgedRun, "gap-train").orElseThrow().rsum();
    double testRsum = store.results().find(judgedRun, "gap-test").orElseThrow().rsum();
    assertEquals(trainRsum, judged.trainRsumAtN().mean(), 1e-9);
    assertEquals(testRsum, judged.testRsumAtN().mean(), 1e-9);
    assertEquals(trainRsum - testRsum, judged.gap().mean(), 1e-9);
    assertEquals(1, judged.gapVsVlc().n(), "one seed paired with VLC");
  }
}
