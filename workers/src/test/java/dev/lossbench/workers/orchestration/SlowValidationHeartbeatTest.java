package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.workers.activities.EvaluationActivitiesImpl;
import dev.lossbench.workers.activities.SplitOpener;
import dev.lossbench.workers.activities.TrainingActivitiesImpl;
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
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness: an epoch's validation and a run's evaluation that each take longer than the heartbeat
 * timeout (a deliberately slow dataset: every batch of images takes a second to read) finish on
 * their first attempt, because the work loop heartbeats per batch. Today there was no heartbeat
 * during validation and one per protocol during evaluation, so such runs timed out and were retried.
 */
class SlowValidationHeartbeatTest {
  static final int HEARTBEAT_TIMEOUT_SECONDS = 5;
  static final long SLOW_BATCH_MILLIS = 1000;
  static final long SLOW_CAPTION_MILLIS = 2;

  @TempDir
  Path artifacts;

  static final String MATRIX = """
      name: slow-validation
      datasets:
        - name: scenes
          kind: synthetic
          params: {train_images: 40, dev_images: 600, test_images: 600, seed: 5}
          protocols: [test]
      models: ['vse-mean:embed_dim=16,word_dim=8']
      losses: [infonce]
      seeds: [1]
      training: {epochs: 1, batch_size: 16, lr: 1.0e-3, max_steps_per_epoch: 2}
      """;

  @Test
  void validationAndEvaluationSlowerThanTheHeartbeatTimeoutAreNotRetried() throws Exception {
    AtomicInteger slowReads = new AtomicInteger();
    SplitOpener slow = (spec, dir, split, model) -> new SlowDataset(SplitOpener.STANDARD.open(spec, dir, split, model),
        slowReads);
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary();
        MetricsStore store = MetricsStore.open(Database.embedded(pg));
        TemporalServer temporal = TemporalServer.start(0);
        TemporalConnection connection = TemporalConnection.connect(temporal.target(), "default", "test");
        WorkerHost orchestration = WorkerHost.start(connection.client(), Set.of(TaskQueues.WORKFLOWS, TaskQueues.CPU),
            store,
            artifacts, "test")) {
      WorkerFactory factory = WorkerFactory.newInstance(connection.client());
      try {
        // as WorkerHost registers the gpu queue, with the slow datasets
        Worker gpu = factory.newWorker(TaskQueues.GPU,
            WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(1)
                .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(3))
                .setDefaultHeartbeatThrottleInterval(Duration.ofSeconds(3))
                .build());
        gpu.registerActivitiesImplementations(new TrainingActivitiesImpl(store, artifacts, "slow", slow),
            new EvaluationActivitiesImpl(store, slow));
        factory.start();

        BenchmarkSpec spec = Matrices.parse(MATRIX, artifacts);
        BenchmarkClient client = new BenchmarkClient(connection.client());
        String id = client.submit(spec, new OrchestrationSettings(HEARTBEAT_TIMEOUT_SECONDS, 1, 3)).benchmarkId();
        BenchmarkSummary summary = client.await(id, Duration.ofSeconds(1), ProgressListener.NONE);
        Run run = store.runs().find(RunIds.ofCell(spec.cells().get(0).id())).orElseThrow();
        assertEquals(RunPhase.SUCCEEDED, summary.status(), run.error());
        assertEquals(RunStatus.SUCCEEDED, run.status());
        assertEquals(1, run.attempts(), "trained once: no heartbeat timeout");
        assertEquals(1, store.results().forRun(run.id()).size());
        // the slowness was real: validation read 3 slow image batches (and 3000 slow captions), evaluation as many
        assertTrue(slowReads.get() >= 2 + 3 + 3, "slow reads " + slowReads.get());
        assertTrue((3 * SLOW_BATCH_MILLIS + 3000 * SLOW_CAPTION_MILLIS) / 1000.0 > HEARTBEAT_TIMEOUT_SECONDS);
      } finally {
        factory.shutdownNow();
        factory.awaitTermination(30, TimeUnit.SECONDS);
      }
    }
  }

  /** A dataset that reads slowly: a second per batch of images, 2 ms per caption (a slow network file system). */
  static final class SlowDataset implements RetrievalDataset {
    private final RetrievalDataset d;
    private final AtomicInteger slowReads;

    SlowDataset(RetrievalDataset d, AtomicInteger slowReads) {
      this.d = d;
      this.slowReads = slowReads;
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public RegionBatch readImages(int[] images) {
      slowReads.incrementAndGet();
      sleep(SLOW_BATCH_MILLIS);
      return d.readImages(images);
    }

    @Override
    public String caption(int c) {
      sleep(SLOW_CAPTION_MILLIS);
      return d.caption(c);
    }

    @Override
    public String description() {
      return "slow " + d.description();
    }

    @Override
    public DatasetSplit split() {
      return d.split();
    }

    @Override
    public int images() {
      return d.images();
    }

    @Override
    public int captionCount() {
      return d.captionCount();
    }

    @Override
    public int imageOf(int c) {
      return d.imageOf(c);
    }

    @Override
    public int firstCaption(int i) {
      return d.firstCaption(i);
    }

    @Override
    public int captionsPerImage() {
      return d.captionsPerImage();
    }

    @Override
    public boolean hasUniformCaptions() {
      return d.hasUniformCaptions();
    }

    @Override
    public int regions() {
      return d.regions();
    }

    @Override
    public int dim() {
      return d.dim();
    }

    @Override
    public int readImage(int i, float[] dst, int offset) {
      return d.readImage(i, dst, offset);
    }

    @Override
    public void requireFiniteFeatures() {
      d.requireFiniteFeatures();
    }
  }
}
