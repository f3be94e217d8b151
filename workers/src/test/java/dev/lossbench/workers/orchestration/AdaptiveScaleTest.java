package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Recalls;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.UnfencedWrites;
import dev.lossbench.workers.activities.StoreActivitiesImpl;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.activities.DatasetActivities;
import dev.lossbench.workflows.activities.EvaluationActivities;
import dev.lossbench.workflows.activities.PreparedDataset;
import dev.lossbench.workflows.activities.TrainingActivities;
import dev.lossbench.workflows.activities.TrainingOutcome;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.benchmark.BenchmarkWorkflowImpl;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.Cell;
import dev.lossbench.workflows.run.RunPhase;
import dev.lossbench.workflows.run.RunWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2,000-cell adaptive benchmark through the real in-process Temporal server and the real store, with trivial
 * training, evaluation and dataset activities as {@link ScaleTest} has them (the orchestration is what is tested): the
 * fake training writes each epoch's validation figures, a fixed figure per variant, so successive halving's decisions
 * are known. The benchmark continues as new every few hundred runs started, carrying its adaptive state; each
 * workflow run's history stays bounded; every run trains to its rung once, no epoch twice.
 */
@ExtendWith(MetricsStoreExtension.class)
class AdaptiveScaleTest {
  static final int VARIANTS = 20; // the baseline and 19 others
  static final int SEEDS = 100; // 20 × 100 = 2,000 cells
  static final int PER_WORKFLOW_RUN = 400;

  @TempDir
  Path artifacts;

  @Test
  @Timeout(value = 25, unit = java.util.concurrent.TimeUnit.MINUTES)
  void twoThousandAdaptiveCellsWithBoundedHistories(MetricsStore store) throws Exception {
    String yaml = """
        name: adaptive-scale
        max_parallel_runs: 16
        datasets:
          - {name: scenes, kind: synthetic, params: {train_images: 40, dev_images: 16, test_images: 16, seed: 3}}
        models: ['vse-mean:embed_dim=16,word_dim=8']
        losses: [triplet-hn, {name: infonce, tau: [%s]}]
        seeds: %d
        training: {epochs: 2, batch_size: 16, max_steps_per_epoch: 1}
        adaptive: {early_stopping: {rule: successive-halving, grace_epochs: 1, reduction_factor: 4}}
        """.formatted(taus(), SEEDS);
    BenchmarkSpec spec = Matrices.parse(yaml, artifacts);
    List<Cell> cells = spec.cells();
    assertEquals(2000, cells.size());
    String benchmarkId = RunIds.benchmarkId(spec);
    // a variant's validation rSum: larger tau is better here, so the rung keeps the ⌈19/4⌉ = 5 largest
    Map<String, Double> figure = spec.lossSpecs().stream().collect(Collectors.toMap(LossSpec::label,
        l -> l.label().equals("triplet-hn") ? 10.0 : 20 + 100 * ((Number) l.params().get("tau")).doubleValue()));

    Map<String, List<Integer>> epochsTrained = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> evaluated = new ConcurrentHashMap<>();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(BenchmarkWorkflowImpl.class,
          RunWorkflowImpl.class);
      env.newWorker(TaskQueues.CPU).registerActivitiesImplementations(new StoreActivitiesImpl(store),
          (DatasetActivities) d -> new PreparedDataset(d.id(), artifacts.resolve(d.id()).toString(), "hash-" + d.id()));
      env.newWorker(TaskQueues.GPU).registerActivitiesImplementations((TrainingActivities) plan -> {
        store.runs().start(plan.runId(), "scale-test");
        int until = plan.untilEpochs() != null ? plan.untilEpochs() : plan.cell().trainingConfig().epochs();
        // "resumes from its checkpoint": the epochs it has, as the real loop's last.ckpt would say
        List<Integer> done = epochsTrained.computeIfAbsent(plan.runId(),
            k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        double r = figure.get(plan.cell().lossLabel()) / 6;
        for (int e = done.size(); e < until; e++) {
          UnfencedWrites.upsert(store, new EpochMetric(plan.runId(), e, 1.0, new Recalls(r, r, r, r, r, r), 1e-3, 0.01,
              100, null));
          done.add(e);
        }
        return new TrainingOutcome(until - 1, r * 6, "best.ckpt", until);
      }, (EvaluationActivities) (plan, checkpoint) -> evaluated.computeIfAbsent(plan.runId(), k -> new AtomicInteger())
          .incrementAndGet());
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      BenchmarkClient benchmarks = new BenchmarkClient(client);

      long t0 = System.nanoTime();
      benchmarks.submit(spec, OrchestrationSettings.defaults().withRunsPerWorkflowRun(PER_WORKFLOW_RUN));
      BenchmarkSummary summary = benchmarks.await(benchmarkId, Duration.ofSeconds(5), (p, live) -> {});
      double seconds = (System.nanoTime() - t0) / 1e9;

      assertEquals(RunPhase.SUCCEEDED, summary.status(), summary.toString());
      // rung 1 keeps the baseline and the 5 best of 19: 6 × 100 runs succeed, 14 × 100 stop at epoch 1
      assertEquals(600, summary.counts().succeeded(), summary.counts().toString());
      assertEquals(1400, summary.counts().stopped(), summary.counts().toString());
      assertEquals(0, summary.counts().running() + summary.counts().failed(), summary.counts().toString());
      List<String> kept = figure.entrySet().stream().filter(e -> !e.getKey().equals("triplet-hn"))
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(5).map(Map.Entry::getKey).toList();
      Map<RunStatus, Long> byStatus = new java.util.EnumMap<>(RunStatus.class);
      for (Run r : store.runs().byBenchmark(benchmarkId)) {
        boolean survives = r.variant().equals("triplet-hn") || kept.contains(r.variant());
        assertEquals(survives ? RunStatus.SUCCEEDED : RunStatus.STOPPED, r.status(), r.variant());
        assertEquals(survives ? 2 : 1, store.runs().stoppedEpoch(r.id()).orElse(2), r.variant());
        assertEquals(survives ? List.of(0, 1) : List.of(0), epochsTrained.get(r.id()), "each epoch once: " + r.id());
        byStatus.merge(r.status(), 1L, Long::sum);
      }
      assertEquals(Map.of(RunStatus.SUCCEEDED, 600L, RunStatus.STOPPED, 1400L), byStatus);
      assertEquals(600, evaluated.size());
      assertTrue(evaluated.values().stream().allMatch(n -> n.get() == 1), "each evaluated once");

      List<long[]> histories = ScaleTest.histories(client, benchmarkId);
      // 2,000 rung starts + 600 final starts, 400 per workflow run
      assertTrue(histories.size() >= 2600 / PER_WORKFLOW_RUN, histories.size() + " workflow runs");
      for (long[] h : histories) {
        assertTrue(h[0] <= ScaleTest.MAX_EVENTS_PER_WORKFLOW_RUN, "a workflow run's history has " + h[0] + " events");
        assertTrue(h[1] < 10L << 20, "a workflow run's history has " + h[1] + " bytes");
        assertTrue(h[2] < 1 << 20, "largest event " + h[2] + " bytes");
      }
      System.out.printf(Locale.ROOT, "adaptive scale: %d cells, %d workflow runs: history events per run %s; %.1f s%n",
          cells.size(), histories.size(), histories.stream().map(h -> Long.toString(h[0])).toList(), seconds);
    }
  }

  private static String taus() {
    List<String> taus = new ArrayList<>();
    for (int i = 1; i < VARIANTS; i++) {
      taus.add(String.format(Locale.ROOT, "%.2f", i * 0.05));
    }
    return String.join(", ", taus);
  }
}
