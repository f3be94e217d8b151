package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.train.Checkpoint;
import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.record.TrainingAttempt;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.TemporalConnection;
import dev.lossbench.workers.stack.TemporalServer;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.run.RunPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process — a separate JVM connected over gRPC to the in-process Temporal server — is
 * killed with SIGKILL in the middle of training. Another worker picks the run up after the
 * heartbeat timeout, resumes from the checkpoint, and ends with the metrics of an uninterrupted run.
 */
class WorkerKillTest {
  static final int HEARTBEAT_TIMEOUT_SECONDS = 20;
  @TempDir
  Path artifacts;
  @TempDir
  Path logs;

  static final String MATRIX = """
      name: %s
      datasets:
        - name: scenes
          kind: synthetic
          params: {train_images: 120, dev_images: 16, test_images: 16, seed: 4}
      models: ['vse-gpo:embed_dim=32,word_dim=16']
      losses: [infonce]
      seeds: [1]
      training: {epochs: 6, batch_size: 16, lr: 1.0e-3, max_steps_per_epoch: 12}
      """;

  /**
   * The same training as {@link #MATRIX} in another cell (one more test protocol): the same cell in another
   * benchmark would be linked from before, not trained again.
   */
  static String reference(String name) {
    return MATRIX.formatted(name).replace("seed: 4}\n", "seed: 4}\n    protocols: [test, gap]\n");
  }

  @Test
  void aKilledWorkerProcessIsReplacedAndTheRunResumesFromItsCheckpoint() throws Exception {
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary();
        MetricsStore store = MetricsStore.open(Database.embedded(pg));
        TemporalServer temporal = TemporalServer.start(0);
        TemporalConnection connection = TemporalConnection.connect(temporal.target(), "default", "test");
        WorkerHost orchestration = WorkerHost.start(connection.client(), Set.of(TaskQueues.WORKFLOWS, TaskQueues.CPU),
            store, artifacts, "test")) {
      BenchmarkClient client = new BenchmarkClient(connection.client());
      // long enough that a loaded machine's pauses (a fresh worker JVM loading libtorch before its first
      // step, a GC) are not mistaken for a dead worker; the kill itself is noticed after this long
      OrchestrationSettings settings = new OrchestrationSettings(HEARTBEAT_TIMEOUT_SECONDS, 1, 5);

      // the same training uninterrupted, in another benchmark, on a worker in this process
      BenchmarkSpec reference = Matrices.parse(reference("uninterrupted"), artifacts);
      String refId;
      try (WorkerHost gpu = WorkerHost.start(connection.client(), Set.of(TaskQueues.GPU), store, artifacts,
          "reference")) {
        refId = client.submit(reference, settings).benchmarkId();
        assertEquals(RunPhase.SUCCEEDED, client.await(refId, Duration.ofSeconds(1), ProgressListener.NONE).status());
      }
      String refRun = RunIds.ofCell(reference.cells().get(0).id());

      // the run, on a worker process that will be killed
      BenchmarkSpec spec = Matrices.parse(MATRIX.formatted("killed"), artifacts);
      String id = client.submit(spec, settings).benchmarkId();
      String runId = RunIds.ofCell(spec.cells().get(0).id());
      WorkerProcess doomed = WorkerProcess.start(temporal.target(), pg, artifacts, logs.resolve("doomed.log"));
      Process worker = doomed.process;
      Path last = ArtifactsLayout.lastCheckpoint(new ArtifactsLayout(artifacts).run(runId));
      doomed.awaitCheckpointAtOrAfter(last, 2, 6);
      worker.destroyForcibly(); // SIGKILL
      assertFalse(worker.waitFor() == 0);
      assertEquals(RunStatus.RUNNING, store.runs().find(runId).orElseThrow().status());
      // what the killed worker finished: the checkpoint's epochs, each recorded once with its wall time
      // (the last checkpoint, or the previous one if the kill fell between their two renames)
      Path prev = ArtifactsLayout.previousCheckpoint(last.getParent());
      int killedAt = Checkpoint.read(Files.exists(last) ? last : prev).epoch();
      List<EpochMetric> beforeKill = store.epochMetrics().forRun(runId).stream().filter(m -> m.epoch() < killedAt)
          .toList();
      assertEquals(killedAt, beforeKill.size(), "the killed worker recorded every epoch it checkpointed");
      int attemptsBeforeKill = store.runs().find(runId).orElseThrow().attempts();

      // a replacement worker (in this process) takes the run over after the heartbeat timeout
      try (WorkerHost replacement = WorkerHost.start(connection.client(), Set.of(TaskQueues.GPU), store, artifacts,
          "replacement")) {
        BenchmarkSummary summary = client.await(id, Duration.ofSeconds(1), ProgressListener.NONE);
        assertEquals(RunPhase.SUCCEEDED, summary.status(), summary.toString());
      }
      Run run = store.runs().find(runId).orElseThrow();
      assertEquals(RunStatus.SUCCEEDED, run.status());
      // the replacement finished the run in one attempt of its own (a slow start on a loaded machine may
      // have cost the doomed worker an attempt before the kill: that is not what this test is about)
      assertEquals("replacement", run.worker());
      assertEquals(attemptsBeforeKill + 1, run.attempts(), "one attempt on the replacement");
      // the killed attempt left no result: the replacement's attempt says so on its row when it claims the run, and the
      // run keeps its first start (issue #25: the store said a retried run took as long as its last attempt)
      List<TrainingAttempt> attempts = store.attempts().byRun(runId);
      TrainingAttempt killed = attempts.get(attempts.size() - 2);
      assertEquals("lost: no result from attempt " + killed.claim().attempt(), killed.failure(), attempts.toString());
      assertNull(attempts.get(attempts.size() - 1).failure(), attempts.toString());
      assertTrue(run.startedAt().isBefore(attempts.get(attempts.size() - 1).startedAt()), run + " " + attempts);
      List<EpochMetric> epochs = store.epochMetrics().forRun(runId);
      // it resumed from the checkpoint: the epochs the killed worker finished were not trained again
      // (a retrained epoch is upserted with its new wall time)
      assertEquals(timings(beforeKill), timings(epochs.stream().filter(m -> m.epoch() < killedAt).toList()),
          "epochs before the checkpoint were not retrained");
      assertEquals(List.of(0, 1, 2, 3, 4, 5), epochs.stream().map(EpochMetric::epoch).toList(), "one row per epoch");
      assertEquals(figures(store.epochMetrics().forRun(refRun)), figures(epochs));
      Result want = store.results().forRun(refRun).get(0);
      Result got = store.results().forRun(runId).get(0);
      assertEquals(want.recalls(), got.recalls());
      assertEquals(want.t2iMeanRank(), got.t2iMeanRank());
    }
  }

  private static List<String> timings(List<EpochMetric> epochs) {
    return epochs.stream().map(m -> m.epoch() + " " + m.seconds() + " s, " + m.samplesPerSecond() + " samples/s")
        .toList();
  }

  private static List<String> figures(List<EpochMetric> epochs) {
    return epochs.stream().map(m -> m.epoch() + " " + m.trainLoss() + " " + m.validation() + " " + m.learningRate())
        .toList();
  }
}
