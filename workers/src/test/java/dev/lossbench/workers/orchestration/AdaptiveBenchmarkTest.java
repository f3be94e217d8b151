package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.train.Checkpoint;
import dev.lossbench.retrieval.train.CheckpointState;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.ComparisonRow;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.record.TrainingAttempt;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.adaptive.Rungs;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.Cell;
import dev.lossbench.workflows.run.RunPhase;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive matrices end to end (issue #22 items 2–4) with the real activities, engine, PostgreSQL and Temporal's test
 * server: successive halving stops variants at their rungs and trains no epoch twice; a stopped variant promoted later
 * ends equal to an uninterrupted run of the same cell; sequential seeds add seeds only where undecided.
 */
@ExtendWith(MetricsStoreExtension.class)
class AdaptiveBenchmarkTest {
  private static final String MODEL = "'vse-mean:embed_dim=16,word_dim=8'";
  private static final String LOSSES = "triplet-hn, infonce, 'infonce:tau=0.5', 'unified:gamma=20'";
  private static final int EPOCHS = 3;
  /** Runs keep their last checkpoint (with the optimiser's state) as well, to compare a promoted run's. */
  private static final String KEEP = "max_steps_per_epoch: 2}";
  private static final String KEEP_LAST = "max_steps_per_epoch: 2, checkpoints: best+last}";
  /** The synthetic data with one more test protocol: other cells, the same training. */
  private static final String REFERENCE_DATA = Matrices.SYNTHETIC.replace("seed: 3}\n",
      "seed: 3}\n    protocols: [test, gap]\n");
  @TempDir
  Path artifacts;
  private TestWorkflowEnvironment env;
  private BenchmarkClient client;

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  private void start(MetricsStore store) {
    env = TestWorkflowEnvironment.newInstance();
    WorkerHost.register(env.getWorkerFactory(), Set.copyOf(TaskQueues.ALL), store, artifacts, "test-worker");
    env.start();
    client = new BenchmarkClient(env.getWorkflowClient());
  }

  /** grace 1, η 2, 3 epochs: rungs 1, 2, 3; three variants and the baseline on two seeds. */
  private BenchmarkSpec halving(String name) {
    return Matrices.parse(Matrices.tiny(name, Matrices.SYNTHETIC, MODEL, LOSSES, 2, EPOCHS).replace(KEEP, KEEP_LAST)
        + "adaptive: {early_stopping: {rule: successive-halving, grace_epochs: 1, reduction_factor: 2}}\n", artifacts);
  }

  @Test
  void successiveHalvingStopsAtRungsKeepsTheBaselineAndTrainsNoEpochTwice(MetricsStore store) {
    start(store);
    BenchmarkSpec spec = halving("halving");
    assertEquals(List.of(1, 2, 3), Rungs.of(1, 2, EPOCHS));
    BenchmarkSummary summary = run(spec, List.of());
    assertEquals(RunPhase.SUCCEEDED, summary.status(), summary.toString());

    Map<String, List<Run>> byVariant = runsByVariant(store, summary.benchmarkId());
    assertEquals(Set.of("triplet-hn", "infonce", "infonce:tau=0.5", "unified:gamma=20"), byVariant.keySet());
    Map<String, Integer> rungOf = new TreeMap<>();
    for (Map.Entry<String, List<Run>> e : byVariant.entrySet()) {
      Set<RunStatus> statuses = e.getValue().stream().map(Run::status).collect(Collectors.toSet());
      assertEquals(1, statuses.size(), e.getKey() + ": every seed of a variant ends alike " + statuses);
      if (statuses.contains(RunStatus.STOPPED)) {
        Set<Integer> rungs = e.getValue().stream().map(r -> store.runs().stoppedEpoch(r.id()).orElseThrow())
            .collect(Collectors.toSet());
        assertEquals(1, rungs.size());
        rungOf.put(e.getKey(), rungs.iterator().next());
      } else {
        assertEquals(Set.of(RunStatus.SUCCEEDED), statuses, e.getKey());
        rungOf.put(e.getKey(), EPOCHS);
      }
    }
    assertEquals(EPOCHS, rungOf.get("triplet-hn"), "the baseline is never stopped");
    // three variants: rung 1 keeps ⌈3/2⌉ = 2, rung 2 keeps ⌈2/2⌉ = 1
    assertEquals(List.of(1, 2, EPOCHS, EPOCHS), rungOf.values().stream().sorted().toList(), rungOf.toString());
    assertEquals(4, summary.counts().stopped(), "two variants × two seeds stopped: " + summary.counts());
    assertEquals(4, summary.counts().succeeded(), summary.counts().toString());

    // each rung stopped the variant with the lowest mean validation rSum there (over the seeds)
    for (int rung : List.of(1, 2)) {
      Map<String, Double> means = new TreeMap<>();
      for (Map.Entry<String, List<Run>> e : byVariant.entrySet()) {
        if (!e.getKey().equals("triplet-hn") && rungOf.get(e.getKey()) >= rung) {
          means.put(e.getKey(), e.getValue().stream().mapToDouble(r -> valRsum(store, r.id(), rung - 1)).average()
              .orElseThrow());
        }
      }
      // ranked by the mean, ties by label (SuccessiveHalving's order): the last one stops
      String lowest = means.keySet().stream().sorted(Comparator.comparing((String v) -> -means.get(v))
          .thenComparing(Comparator.naturalOrder())).reduce((a, b) -> b).orElseThrow();
      assertEquals(rung, rungOf.get(lowest), "rung " + rung + " stops the lowest of " + means);
    }

    // nothing trained twice: each run's attempts trained exactly its rung's epochs, one epoch row each
    int total = 0;
    for (List<Run> runs : byVariant.values()) {
      for (Run r : runs) {
        int want = rungOf.get(r.variant());
        assertEquals(want, store.attempts().byRun(r.id()).stream().mapToInt(TrainingAttempt::epochsTrained).sum(),
            r.variant() + " seed " + r.seed());
        assertEquals(want, store.epochMetrics().forRun(r.id()).size());
        total += want;
      }
    }
    // the schedule: every variant to rung 1, three to rung 2, two to the end, on two seeds: (4 + 3 + 2) × 2
    assertEquals(18, total);
    assertEquals(18, store.reports().compute(summary.benchmarkId()).orElseThrow().runEpochsTrained());
    assertEquals(24, store.reports().compute(summary.benchmarkId()).orElseThrow().fullGridRunEpochs());
    // stopped runs are not compared
    Set<String> compared = store.comparisons().primary(summary.benchmarkId()).stream().map(ComparisonRow::variant)
        .collect(Collectors.toSet());
    assertEquals(byVariant.keySet().stream().filter(v -> !v.equals("triplet-hn") && rungOf.get(v) == EPOCHS)
        .collect(Collectors.toSet()), compared);

    // the same matrix again (a resume): every decision recomputed from the store, nothing trains
    BenchmarkSummary again = run(spec, List.of());
    assertEquals(RunPhase.SUCCEEDED, again.status());
    assertEquals(18, store.reports().compute(summary.benchmarkId()).orElseThrow().runEpochsTrained(),
        "nothing trained again");
    for (List<Run> runs : byVariant.values()) {
      for (Run r : runs) {
        assertEquals(r.status(), store.runs().find(r.id()).orElseThrow().status(), "stopped runs stay stopped");
      }
    }

    // promotion: the variant stopped at rung 1 continues from its checkpoint to the last epoch
    String first = rungOf.entrySet().stream().filter(e -> e.getValue() == 1).findFirst().orElseThrow().getKey();
    BenchmarkSummary promoted = run(spec, List.of(first));
    assertEquals(RunPhase.SUCCEEDED, promoted.status(), promoted.toString());
    for (Run r : byVariant.get(first)) {
      Run now = store.runs().find(r.id()).orElseThrow();
      assertEquals(RunStatus.SUCCEEDED, now.status());
      assertTrue(store.runs().stoppedEpoch(r.id()).isEmpty(), "a promoted run is no longer stopped");
      assertEquals(EPOCHS, store.attempts().byRun(r.id()).stream().mapToInt(TrainingAttempt::epochsTrained).sum(),
          "its epochs trained once: " + store.attempts().byRun(r.id()));
    }
    assertTrue(store.comparisons().primary(summary.benchmarkId()).stream().anyMatch(c -> c.variant().equals(first)),
        "the promoted variant is compared");

    // equal to an uninterrupted run of the same training: the plain matrix of that variant with one more test
    // protocol (another cell, so it trains; the same cell would be linked from before)
    Cell cell = spec.cells().stream().filter(c -> c.lossLabel().equals(first) && c.seed() == 1).findFirst()
        .orElseThrow();
    String promotedRun = RunIds.ofCell(cell.id());
    BenchmarkSpec plain = Matrices.parse(Matrices.tiny("plain", REFERENCE_DATA, MODEL, "'" + first + "'", 1, EPOCHS)
        .replace(KEEP, KEEP_LAST), artifacts);
    assertEquals(RunPhase.SUCCEEDED, run(plain, List.of()).status());
    String referenceRun = RunIds.ofCell(plain.cells().get(0).id());
    assertEquals(figures(store.epochMetrics().forRun(referenceRun)), figures(store.epochMetrics().forRun(promotedRun)),
        "the same losses, validation and learning rates epoch by epoch");
    ArtifactsLayout layout = new ArtifactsLayout(artifacts);
    for (boolean best : List.of(false, true)) {
      Path a = best
          ? ArtifactsLayout.bestCheckpoint(layout.run(promotedRun))
          : ArtifactsLayout.lastCheckpoint(layout.run(promotedRun));
      Path b = best
          ? ArtifactsLayout.bestCheckpoint(layout.run(referenceRun))
          : ArtifactsLayout.lastCheckpoint(layout.run(referenceRun));
      CheckpointState got = Checkpoint.read(a);
      CheckpointState want = Checkpoint.read(b);
      assertEquals(want.epoch(), got.epoch());
      assertEquals(want.globalStep(), got.globalStep());
      assertEquals(want.optimizerSteps(), got.optimizerSteps());
      assertEquals(want.parameters().keySet(), got.parameters().keySet());
      want.parameters().forEach((k, v) -> assertArrayEquals(v, got.parameters().get(k), "weights to 0 ulp: " + k));
      assertEquals(want.optimizer().keySet(), got.optimizer().keySet());
      want.optimizer().forEach((k, v) -> assertArrayEquals(v, got.optimizer().get(k), "AdamW state to 0 ulp: " + k));
    }
    assertEquals(store.results().forRun(referenceRun).stream().filter(r -> r.split().equals("test")).findFirst()
        .orElseThrow().recalls(), store.results().forRun(promotedRun).get(0).recalls());
  }

  /**
   * Two groups (datasets), one variant each against the baseline, α = 0.5 so that 2 to 4 seeds can decide: with one
   * variant the rule spends α/2 at look 3 (reachable: 2/2³ = 0.25) and α/2 at look 4. In group {@code weak} the
   * variant is clearly apart from the baseline (in 60 steps Triplet-HN, with its warm-up, stays near chance while
   * InfoNCE at τ = 100 learns: about 103 against 45 test rSum on seeds 1–3): decided at 3 seeds, it and the group's
   * baseline get no fourth. In group {@code close} the variant is InfoNCE at τ = 0.05: undecided, its looks add seeds up
   * to the last. (The seeds are fixed, so these outcomes are reproducible.)
   */
  @Test
  void sequentialSeedsAddSeedsOnlyWhereUndecided(MetricsStore store) {
    start(store);
    BenchmarkSpec spec = Matrices.parse("""
        name: sequential
        max_parallel_runs: 2
        baseline: triplet-hn
        datasets:
          - name: weak
            kind: synthetic
            params: {train_images: 200, dev_images: 32, test_images: 100, seed: 3}
            losses: [triplet-hn, 'infonce:tau=100']
          - name: close
            kind: synthetic
            params: {train_images: 200, dev_images: 32, test_images: 100, seed: 5}
            losses: [triplet-hn, infonce]
        models: ['vse-mean:embed_dim=16,word_dim=8']
        losses: [triplet-hn, infonce, 'infonce:tau=100']
        seeds: {min: 2, max: 4, step: 1}
        training: {epochs: 2, batch_size: 16, lr: 2.0e-3, max_steps_per_epoch: 30}
        study: {alpha: 0.5}
        """, artifacts);
    assertTrue(spec.trainsAdaptively());
    BenchmarkSummary summary = run(spec, List.of());
    assertEquals(RunPhase.SUCCEEDED, summary.status(), summary.toString());
    Map<String, String> datasetOf = new java.util.HashMap<>();
    spec.datasets().forEach(d -> datasetOf.put(d.id(), d.name()));
    // per group (dataset) and variant: the seeds that succeeded, and every seed linked
    Map<String, List<Long>> seeds = new TreeMap<>();
    Map<String, List<Long>> linked = new TreeMap<>();
    for (Run r : store.runs().byBenchmark(summary.benchmarkId())) {
      String key = datasetOf.get(r.datasetId()) + "/" + r.variant();
      linked.computeIfAbsent(key, k -> new ArrayList<>()).add(r.seed());
      if (r.status() == RunStatus.SUCCEEDED) {
        seeds.computeIfAbsent(key, k -> new ArrayList<>()).add(r.seed());
      }
    }
    seeds.values().forEach(l -> l.sort(null));
    linked.values().forEach(l -> l.sort(null));
    assertEquals(seeds, linked, "every run linked was trained: later seeds are linked only when a look needs them");
    Map<String, ComparisonRow> decisions = store.comparisons().primary(summary.benchmarkId()).stream()
        .filter(c -> c.measure().equals("rsum"))
        .collect(Collectors.toMap(c -> datasetOf.get(c.datasetId()) + "/" + c.variant(), c -> c));
    String report = "seeds " + seeds + ", decisions " + decisions.values().stream()
        .map(c -> datasetOf.get(c.datasetId()) + "/" + c.variant() + "=" + c.outcome() + " (n=" + c.n() + ", mean "
            + c.variantMean() + " vs " + c.baselineMean() + ")")
        .toList();
    System.out.println("sequential seeds: " + report);
    for (String group : List.of("weak", "close")) {
      String variant = group.equals("weak") ? "infonce:tau=100" : "infonce";
      ComparisonRow c = decisions.get(group + "/" + variant);
      assertNotNull(c, report);
      int n = seeds.get(group + "/" + variant).size();
      assertEquals(n, c.n(), "the stored comparison is the decision at its last look: " + report);
      assertEquals(n, seeds.get(group + "/triplet-hn").size(),
          "the baseline has the seeds its variant needed: " + report);
      assertTrue(!c.outcome().equals("undecided") || n == 4,
          "undecided before the last look means more seeds: " + report);
      assertTrue(c.outcome().equals("undecided") || n == 3 || n == 4, "nothing is decided at 2 seeds: " + report);
    }
    assertEquals("better", decisions.get("weak/infonce:tau=100").outcome(), report);
    assertEquals("undecided", decisions.get("close/infonce").outcome(), report);
    assertEquals(4, seeds.get("close/infonce").size(), "undecided: seeds up to the last look: " + report);
    assertEquals(3, seeds.get("weak/infonce:tau=100").size(), "decided at the first look that can decide: " + report);
  }

  private BenchmarkSummary run(BenchmarkSpec spec, List<String> promote) {
    String id = client.submit(spec, OrchestrationSettings.defaults(), promote).benchmarkId();
    return client.await(id, Duration.ofSeconds(1), ProgressListener.NONE);
  }

  private static Map<String, List<Run>> runsByVariant(MetricsStore store, String benchmarkId) {
    Map<String, List<Run>> byVariant = new LinkedHashMap<>();
    store.runs().byBenchmark(benchmarkId).stream().sorted(Comparator.comparing(Run::seed))
        .forEach(r -> byVariant.computeIfAbsent(r.variant(), v -> new ArrayList<>()).add(r));
    return byVariant;
  }

  private static double valRsum(MetricsStore store, String runId, int epoch) {
    return store.epochMetrics().validationRsumAt(List.of(runId), epoch).get(runId);
  }

  private static List<String> figures(List<EpochMetric> epochs) {
    return epochs.stream().map(m -> m.epoch() + " " + m.trainLoss() + " " + m.validation() + " " + m.learningRate())
        .toList();
  }
}
