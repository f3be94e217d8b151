package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.data.SyntheticConfig;
import dev.lossbench.retrieval.data.SyntheticScenes;
import dev.lossbench.retrieval.io.ArtifactsLayout;
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
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Faults a retry cannot fix end the run at once, with a message naming the file: an unwritable checkpoint, NaN features. */
@ExtendWith(MetricsStoreExtension.class)
class StorageAndDataFaultsTest {
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

  /** Today: the same epoch was trained on each of 10 attempts, and the error did not say where. */
  @Test
  void aCheckpointThatCannotBeWrittenFailsTheRunOnceNamingThePath(MetricsStore store) throws Exception {
    BenchmarkSpec spec = Matrices
        .parse(Matrices.tiny("unwritable", Matrices.SYNTHETIC, "'vse-mean:embed_dim=16,word_dim=8'",
            "infonce", 1, 2), artifacts);
    String runId = RunIds.ofCell(spec.cells().get(0).id());
    // a real fault, no injection: a regular file stands where the run's directory must be
    Path runDir = new ArtifactsLayout(artifacts).run(runId);
    Files.createDirectories(runDir.getParent());
    Files.writeString(runDir, "in the way");

    BenchmarkSummary summary = client.await(client.submit(spec, OrchestrationSettings.defaults()).benchmarkId(),
        Duration.ofSeconds(1), ProgressListener.NONE);
    assertEquals(RunPhase.FAILED, summary.status());
    Run run = store.runs().find(runId).orElseThrow();
    assertEquals(RunStatus.FAILED, run.status());
    assertEquals(1, run.attempts(), "not retried: " + run.error());
    assertTrue(run.error().contains("cannot write checkpoint " + runDir.resolve(""))
        && run.error().contains(runDir + " exists and is not a directory"), run.error());
  }

  /** Today: NaN in the dev features failed only after a full epoch, reported as the loss diverging. */
  @Test
  void nanInTheDevFeaturesFailsAtPreparationNamingTheFileAndRow(MetricsStore store) throws Exception {
    new SyntheticScenes(SyntheticConfig.defaults().withImages(40, 16, 16).withSeed(9)).generate(realData);
    Path ims = realData.resolve("dev_ims.npy");
    try (RandomAccessFile raf = new RandomAccessFile(ims.toFile(), "rw")) {
      raf.seek(raf.length() - 4); // the last value of the last row
      raf.writeInt(Integer.reverseBytes(Float.floatToIntBits(Float.NaN)));
    }
    String datasets = """
          - name: real
            kind: precomp
            path: %s
        """.formatted(realData);
    BenchmarkSpec spec = Matrices
        .parse(Matrices.tiny("nan", datasets, "'vse-mean:embed_dim=16,word_dim=8'", "infonce", 1, 2), artifacts);
    BenchmarkSummary summary = client.await(client.submit(spec, OrchestrationSettings.defaults()).benchmarkId(),
        Duration.ofSeconds(1), ProgressListener.NONE);
    assertEquals(RunPhase.FAILED, summary.status());
    Run run = store.runs().find(summary.problems().get(0).runId()).orElseThrow();
    assertEquals(RunStatus.FAILED, run.status());
    assertTrue(run.error().contains(ims + ": row 15 (image 15 of the dev split) has a non-finite feature, NaN"),
        run.error());
    assertEquals(0, run.attempts(), "no training started");
    assertTrue(store.epochMetrics().forRun(run.id()).isEmpty());
  }
}
