package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workers.activities.StoreActivitiesImpl;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workflows.FailureTypes;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.activities.DatasetActivities;
import dev.lossbench.workflows.activities.EvaluationActivities;
import dev.lossbench.workflows.activities.PreparedDataset;
import dev.lossbench.workflows.activities.TrainingActivities;
import dev.lossbench.workflows.activities.TrainingOutcome;
import dev.lossbench.workflows.benchmark.BenchmarkProgress;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.benchmark.BenchmarkWorkflow;
import dev.lossbench.workflows.benchmark.BenchmarkWorkflowImpl;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.Cell;
import dev.lossbench.workflows.run.RunPhase;
import dev.lossbench.workflows.run.RunWorkflowImpl;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of cells through the real in-process Temporal server and the real store (embedded PostgreSQL), with
 * trivial training, evaluation and dataset activities (the work itself is not what is tested): the benchmark
 * continues as new every few hundred cells, so each workflow run's history stays bounded; stage children whose
 * parents ran in an earlier workflow run wait for them correctly; failed cells are not run again by a continued run.
 */
@ExtendWith(MetricsStoreExtension.class)
class ScaleTest {
  static final int SEEDS = 500; // 2 datasets (a stage) × 2 losses × 500 seeds = 2,000 cells
  static final int PER_WORKFLOW_RUN = 400;
  static final int MAX_EVENTS_PER_WORKFLOW_RUN = 10_000;

  @TempDir
  Path artifacts;

  @Test
  @Timeout(value = 20, unit = java.util.concurrent.TimeUnit.MINUTES)
  void twoThousandCellsFinishOnceEachWithBoundedHistories(MetricsStore store) throws Exception {
    String yaml = """
        name: scale
        max_parallel_runs: 16
        datasets:
          - name: target
            kind: synthetic
            params: {train_images: 40, dev_images: 16, test_images: 16, seed: 3, domain: 1}
            init: {from: scenes}
          - name: scenes
            kind: synthetic
            params: {train_images: 40, dev_images: 16, test_images: 16, seed: 3}
        models: ['vse-mean:embed_dim=16,word_dim=8']
        losses: [infonce, triplet-hn]
        seeds: %d
        training: {epochs: 1, batch_size: 16, max_steps_per_epoch: 1}
        """.formatted(SEEDS);
    BenchmarkSpec spec = Matrices.parse(yaml, artifacts);
    List<Cell> cells = spec.cells();
    assertEquals(2000, cells.size());
    String benchmarkId = RunIds.benchmarkId(spec);
    // every 50th seed of the first stage fails on bad input; its child cells then fail without training
    Set<String> badParents = cells.stream().filter(c -> c.parent() == null && c.seed() % 50 == 0)
        .map(c -> RunIds.ofCell(c.id())).collect(Collectors.toSet());
    assertEquals(20, badParents.size());

    Map<String, AtomicInteger> trained = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> evaluated = new ConcurrentHashMap<>();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(BenchmarkWorkflowImpl.class,
          RunWorkflowImpl.class);
      env.newWorker(TaskQueues.CPU).registerActivitiesImplementations(new StoreActivitiesImpl(store),
          (DatasetActivities) d -> new PreparedDataset(d.id(), artifacts.resolve(d.id()).toString(), "hash-" + d.id()));
      env.newWorker(TaskQueues.GPU).registerActivitiesImplementations((TrainingActivities) plan -> {
        trained.computeIfAbsent(plan.runId(), k -> new AtomicInteger()).incrementAndGet();
        store.runs().start(plan.runId(), "scale-test");
        if (badParents.contains(plan.runId())) {
          InvalidInputException bad = new InvalidInputException("train_ims.npy of " + plan.cell().dataset().name()
              + " is truncated: expected 40 images");
          throw ApplicationFailure.newNonRetryableFailureWithCause(bad.getMessage(), FailureTypes.INVALID_INPUT, bad);
        }
        return new TrainingOutcome(0, 1.0, "best.ckpt", 1);
      }, (EvaluationActivities) (plan, checkpoint) -> evaluated.computeIfAbsent(plan.runId(), k -> new AtomicInteger())
          .incrementAndGet());
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      BenchmarkClient benchmarks = new BenchmarkClient(client);

      long t0 = System.nanoTime();
      benchmarks.submit(spec, OrchestrationSettings.defaults().withRunsPerWorkflowRun(PER_WORKFLOW_RUN));
      AtomicInteger polls = new AtomicInteger();
      List<Integer> progressBytes = new ArrayList<>();
      BenchmarkSummary summary = benchmarks.await(benchmarkId, Duration.ofSeconds(5), (p, live) -> {
        polls.incrementAndGet();
        progressBytes.add(payloadBytes(p));
      });
      double seconds = (System.nanoTime() - t0) / 1e9;

      // every cell ended exactly once
      assertEquals(RunPhase.FAILED, summary.status());
      assertEquals(2000, summary.counts().total());
      assertEquals(1960, summary.counts().succeeded(), summary.counts().toString());
      assertEquals(40, summary.counts().failed(), summary.counts().toString());
      assertEquals(40, summary.counts().invalidInput(),
          "a child of a parent with bad data failed on the same bad data");
      assertEquals(0, summary.counts().pending() + summary.counts().running());
      assertEquals(40, summary.problems().size());
      assertTrue(summary.counts().onlyInvalidInput());
      for (Cell c : cells) {
        String runId = RunIds.ofCell(c.id());
        boolean childOfBad = c.parent() != null && badParents.contains(RunIds.ofCell(c.parent()));
        AtomicInteger t = trained.get(runId);
        assertEquals(childOfBad ? null : 1, t == null ? null : t.get(),
            runId + " trained once (or never, under a failed parent)");
      }
      assertEquals(1960, evaluated.size());
      assertTrue(evaluated.values().stream().allMatch(n -> n.get() == 1), "each evaluated once");
      List<Run> rows = store.runs().byBenchmark(benchmarkId);
      assertEquals(2000, rows.size());
      Map<RunStatus, Long> byStatus = rows.stream().collect(Collectors.groupingBy(Run::status, Collectors.counting()));
      assertEquals(Map.of(RunStatus.SUCCEEDED, 1960L, RunStatus.FAILED, 40L), byStatus,
          "failed runs stay failed: a continued workflow run does not re-queue them");
      for (Run r : rows) {
        if (r.status() == RunStatus.FAILED && !badParents.contains(r.id())) {
          assertTrue(r.error().contains("parent") && r.error().contains("ended failed"), r.error());
          assertNull(r.startedAt(), "a child of a failed parent never trained");
        } else {
          assertEquals(1, r.attempts(), r.id());
        }
      }

      // histories: one per workflow run, each bounded; payloads far below 2 MB
      List<long[]> histories = histories(client, benchmarkId); // {events, bytes, largest event}
      assertTrue(histories.size() >= 2000 / PER_WORKFLOW_RUN, histories.size() + " workflow runs");
      long totalEvents = 0;
      long totalBytes = 0;
      long largest = 0;
      for (long[] h : histories) {
        assertTrue(h[0] <= MAX_EVENTS_PER_WORKFLOW_RUN, "a workflow run's history has " + h[0] + " events");
        assertTrue(h[1] < 10L << 20, "a workflow run's history has " + h[1] + " bytes");
        totalEvents += h[0];
        totalBytes += h[1];
        largest = Math.max(largest, h[2]);
      }
      assertTrue(largest < 1 << 20, "largest event " + largest + " bytes");
      int summaryBytes = payloadBytes(summary);
      assertTrue(summaryBytes < 256 << 10, "summary payload " + summaryBytes + " bytes");
      int maxProgress = progressBytes.stream().mapToInt(Integer::intValue).max().orElse(0);
      assertTrue(maxProgress < 256 << 10, "progress payload " + maxProgress + " bytes");
      BenchmarkProgress last = client.newWorkflowStub(BenchmarkWorkflow.class, benchmarkId).progress();
      assertEquals(2000, last.counts().finished());

      System.out.printf(Locale.ROOT, "scale: %d cells, %d workflow runs of at most %d cells: history events per run %s"
          + " (max %d, %.1f per cell), bytes per run %s (%.2f MB in all, %.0f B per cell), largest event %d B;"
          + " summary payload %d B, largest progress payload %d B (%d polls); %.1f s in all, %.1f ms orchestration per cell%n",
          cells.size(), histories.size(), PER_WORKFLOW_RUN, histories.stream().map(h -> Long.toString(h[0])).toList(),
          histories.stream().mapToLong(h -> h[0]).max().orElse(0), (double) totalEvents / cells.size(),
          histories.stream().map(h -> Long.toString(h[1])).toList(), totalBytes / 1e6,
          (double) totalBytes / cells.size(),
          largest, summaryBytes, maxProgress, polls.get(), seconds, seconds * 1000 / cells.size());
    }
  }

  private static int payloadBytes(Object value) {
    return DataConverter.getDefaultInstance().toPayloads(value).orElseThrow().getSerializedSize();
  }

  /** Each workflow run of the benchmark, last to first: {events, bytes, largest event's bytes}. */
  static List<long[]> histories(WorkflowClient client, String workflowId) {
    List<long[]> out = new ArrayList<>();
    String runId = "";
    do {
      long events = 0;
      long bytes = 0;
      long largest = 0;
      String previous = "";
      ByteString token = ByteString.EMPTY;
      do {
        GetWorkflowExecutionHistoryResponse page = client.getWorkflowServiceStubs().blockingStub()
            .getWorkflowExecutionHistory(
                GetWorkflowExecutionHistoryRequest.newBuilder()
                    .setNamespace(client.getOptions().getNamespace())
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
                    .setNextPageToken(token)
                    .build());
        for (HistoryEvent e : page.getHistory().getEventsList()) {
          events++;
          bytes += e.getSerializedSize();
          largest = Math.max(largest, e.getSerializedSize());
          if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
            previous = e.getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
          }
        }
        token = page.getNextPageToken();
      } while (!token.isEmpty());
      out.add(new long[]{events, bytes, largest});
      runId = previous;
    } while (!runId.isEmpty());
    return out;
  }
}
