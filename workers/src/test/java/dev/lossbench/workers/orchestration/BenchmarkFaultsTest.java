package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.data.SyntheticConfig;
import dev.lossbench.retrieval.data.SyntheticScenes;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.run.RunPhase;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A broken cell among good ones, resume after fixing it, and a matrix submitted twice at once. */
@ExtendWith(MetricsStoreExtension.class)
class BenchmarkFaultsTest {
  @TempDir
  Path artifacts;
  @TempDir
  Path realData;
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

  private BenchmarkSummary runToEnd(BenchmarkSpec spec) {
    BenchmarkClient.Submission s = client.submit(spec, OrchestrationSettings.defaults());
    return client.await(s.benchmarkId(), Duration.ofSeconds(1), ProgressListener.NONE);
  }

  @Test
  void aCorruptDataFileFailsItsCellOnlyAndResumeRunsOnlyThatCell(MetricsStore store) throws Exception {
    // a precomp dataset on disk (written by the generator in the precomp layout)
    new SyntheticScenes(SyntheticConfig.defaults().withImages(40, 16, 16).withSeed(9)).generate(realData);
    Path ims = realData.resolve("train_ims.npy");
    byte[] good = Files.readAllBytes(ims);
    Files.write(ims, java.util.Arrays.copyOf(good, good.length / 2));
    String datasets = Matrices.SYNTHETIC + """
          - name: real
            kind: precomp
            path: %s
        """.formatted(realData);
    BenchmarkSpec spec = Matrices
        .parse(Matrices.tiny("faults", datasets, "'vse-mean:embed_dim=16,word_dim=8'", "infonce", 1, 2), artifacts);
    assertEquals(2, spec.cells().size());

    BenchmarkSummary first = runToEnd(spec);
    assertEquals(RunPhase.FAILED, first.status());
    Map<String, Run> runs = byDataset(store, spec, first.benchmarkId());
    assertEquals(1, first.problems().size(), first.toString());
    assertEquals(1, first.counts().invalidInput(), "a truncated file is the user's to fix");
    Run broken = runs.get("real");
    Run fine = runs.get("scenes");
    assertEquals(RunStatus.FAILED, broken.status());
    assertTrue(broken.error().contains(ims.toString()) && broken.error().contains("truncated"), broken.error());
    assertEquals(RunStatus.SUCCEEDED, fine.status());
    int fineEpochs = store.epochMetrics().forRun(fine.id()).size();

    Files.write(ims, good); // the user fixes the file and resumes
    BenchmarkSummary resumed = runToEnd(spec);
    assertEquals(RunPhase.SUCCEEDED, resumed.status(), resumed.toString());
    assertEquals(1, resumed.counts().skipped(), "the succeeded cell is not run again");
    assertEquals(2, resumed.counts().succeeded());
    assertTrue(resumed.problems().isEmpty(), resumed.toString());
    Run fineAfter = store.runs().find(fine.id()).orElseThrow();
    assertEquals(fine.attempts(), fineAfter.attempts(), "the succeeded run was not started again");
    assertEquals(fine.finishedAt(), fineAfter.finishedAt());
    assertEquals(fineEpochs, store.epochMetrics().forRun(fine.id()).size());
    Run fixed = store.runs().find(broken.id()).orElseThrow();
    assertEquals(RunStatus.SUCCEEDED, fixed.status());
    assertEquals(2, store.epochMetrics().forRun(fixed.id()).size());
    assertEquals(1, store.results().forRun(fixed.id()).size());
  }

  @Test
  void submittingTheSameMatrixTwiceAtOnceStartsOneBenchmark(MetricsStore store) throws Exception {
    BenchmarkSpec spec = Matrices.parse(
        Matrices.tiny("twice", Matrices.SYNTHETIC, "'vse-mean:embed_dim=16,word_dim=8'", "infonce", 2, 1), artifacts);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<BenchmarkClient.Submission>> submissions = List.of(1, 2).stream()
        .map(i -> CompletableFuture.supplyAsync(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return client.submit(spec, OrchestrationSettings.defaults());
        })).toList();
    go.countDown();
    List<BenchmarkClient.Submission> done = submissions.stream().map(CompletableFuture::join).toList();
    assertEquals(1, done.stream().filter(BenchmarkClient.Submission::started).count(), done.toString());
    assertEquals(done.get(0).benchmarkId(), done.get(1).benchmarkId());
    BenchmarkSummary summary = client.await(done.get(0).benchmarkId(), Duration.ofSeconds(1), ProgressListener.NONE);
    assertEquals(RunPhase.SUCCEEDED, summary.status());
    assertEquals(1, store.benchmarks().list().size());
    assertEquals(2, store.runs().byBenchmark(done.get(0).benchmarkId()).size());
    for (Run r : store.runs().byBenchmark(done.get(0).benchmarkId())) {
      assertEquals(1, r.attempts(), "each run trained once");
      assertEquals(1, store.epochMetrics().forRun(r.id()).size());
    }
  }

  private static Map<String, Run> byDataset(MetricsStore store, BenchmarkSpec spec, String benchmarkId) {
    return spec.cells().stream().collect(Collectors.toMap(c -> c.dataset().name(),
        c -> store.runs().find(dev.lossbench.workflows.RunIds.ofCell(c.id())).orElseThrow()));
  }
}
