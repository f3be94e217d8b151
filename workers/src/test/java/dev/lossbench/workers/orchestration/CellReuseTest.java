package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.BenchmarkCompute;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.TrainingAttempt;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.WorkerHost;
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
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished cell is never trained twice (issue #22, item 0): a matrix with one more seed, or one more loss
 * variant, after a finished benchmark links the runs that succeeded ("from before") and trains only the new cells;
 * every benchmark's leaderboard and compute read its own cells. Real activities, engine, PostgreSQL and Temporal's
 * test server.
 */
@ExtendWith(MetricsStoreExtension.class)
class CellReuseTest {
  private static final String MODEL = "'vse-mean:embed_dim=16,word_dim=8'";
  private static final int EPOCHS = 2;
  @TempDir
  Path artifacts;
  private TestWorkflowEnvironment env;

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void oneMoreSeedThenOneMoreVariantTrainOnlyTheNewCells(MetricsStore store) {
    env = TestWorkflowEnvironment.newInstance();
    WorkerHost.register(env.getWorkerFactory(), Set.copyOf(TaskQueues.ALL), store, artifacts, "test-worker");
    env.start();
    BenchmarkClient client = new BenchmarkClient(env.getWorkflowClient());

    BenchmarkSpec twoSeeds = spec("infonce, 'unified:gamma=20'", 2);
    BenchmarkSummary first = run(client, twoSeeds);
    assertEquals(4, first.counts().succeeded());
    assertEquals(0, first.counts().skipped());
    Map<String, Run> before = byId(store.runs().byBenchmark(first.benchmarkId()));
    assertEquals(twoSeeds.cells().stream().map(c -> RunIds.ofCell(c.id())).collect(Collectors.toSet()), before.keySet(),
        "a run is its cell's content");
    assertCompute(store, first.benchmarkId(), 4, 0, 4, 4 * EPOCHS, 4 * EPOCHS);

    // one more seed: a new benchmark (another set of cells) that trains the two new cells only
    BenchmarkSpec threeSeeds = spec("infonce, 'unified:gamma=20'", 3);
    assertNotEquals(RunIds.benchmarkId(twoSeeds), RunIds.benchmarkId(threeSeeds));
    BenchmarkSummary second = run(client, threeSeeds);
    assertEquals(6, second.counts().succeeded());
    assertEquals(4, second.counts().skipped(), "the first benchmark's four runs, from before");
    Map<String, Run> after = byId(store.runs().byBenchmark(second.benchmarkId()));
    assertEquals(6, after.size());
    assertTrue(after.keySet().containsAll(before.keySet()), "the same runs, linked");
    assertEquals(before.keySet(), store.runs().fromBeforeIds(second.benchmarkId()));
    for (Run r : before.values()) {
      Run now = after.get(r.id());
      assertEquals(1, now.attempts(), "trained once: " + r.id());
      assertEquals(r.finishedAt(), now.finishedAt(), "not run again: " + r.id());
      assertEquals(List.of(first.benchmarkId()), trainedBy(store, r.id()));
    }
    for (Cell c : threeSeeds.cells().stream().filter(c -> c.seed() == 3).toList()) {
      assertEquals(List.of(second.benchmarkId()), trainedBy(store, RunIds.ofCell(c.id())), c.description());
      assertEquals(EPOCHS, store.epochMetrics().forRun(RunIds.ofCell(c.id())).size());
    }
    assertCompute(store, second.benchmarkId(), 6, 4, 2, 2 * EPOCHS, 6 * EPOCHS);
    // the comparison engine reads the benchmark's runs through the link: the linked seeds count too
    assertEquals(6, store.comparisons().seedFigures(second.benchmarkId()).stream()
        .filter(f -> f.split().equals("test")).count(), "every linked and trained run's test figures");
    assertEquals(List.of(3, 3), store.reports().leaderboard(second.benchmarkId()).stream().map(l -> l.seeds()).toList(),
        "the leaderboard counts the runs from before");
    assertEquals(List.of(2, 2), store.reports().leaderboard(first.benchmarkId()).stream().map(l -> l.seeds()).toList(),
        "the first benchmark still shows its own cells only");

    // one more loss variant on the two seeds: only its two cells train
    BenchmarkSummary third = run(client, spec("infonce, 'unified:gamma=20', triplet-hn", 2));
    assertEquals(6, third.counts().succeeded());
    assertEquals(4, third.counts().skipped());
    assertCompute(store, third.benchmarkId(), 6, 4, 2, 2 * EPOCHS, 6 * EPOCHS);
    assertEquals(1, store.runs().byBenchmark(third.benchmarkId()).stream().filter(r -> r.variant().equals("triplet-hn"))
        .map(Run::attempts).distinct().count());

    // the same matrix again: nothing trains, nothing is linked twice
    BenchmarkSummary again = run(client, threeSeeds);
    assertEquals(6, again.counts().skipped());
    assertCompute(store, second.benchmarkId(), 6, 4, 2, 2 * EPOCHS, 6 * EPOCHS);
    Set<String> all = new java.util.HashSet<>(after.keySet());
    store.runs().byBenchmark(third.benchmarkId()).forEach(r -> all.add(r.id()));
    assertEquals(8, all.size(), "4 + 2 new seeds + 2 new variant cells");
    for (String id : all) {
      assertEquals(1, store.attempts().byRun(id).size(),
          "one training attempt per run, whichever benchmark asked: " + id);
    }
  }

  private static List<String> trainedBy(MetricsStore store, String runId) {
    return store.attempts().byRun(runId).stream().map(TrainingAttempt::benchmarkId).toList();
  }

  private static void assertCompute(MetricsStore store, String benchmarkId, int runs, int fromBefore, int trained,
      int runEpochs, int fullGrid) {
    BenchmarkCompute c = store.reports().compute(benchmarkId).orElseThrow();
    assertEquals(List.of(runs, fromBefore, trained, runEpochs, fullGrid), List.of(c.runs(), c.runsFromBefore(),
        c.runsTrained(), c.runEpochsTrained(), c.fullGridRunEpochs()),
        "runs, from before, trained, run-epochs, full grid");
    assertTrue(c.trainingSeconds() > 0 || trained == 0, "the loop's seconds are recorded");
  }

  private BenchmarkSpec spec(String losses, int seeds) {
    return Matrices.parse(Matrices.tiny("reuse", Matrices.SYNTHETIC, MODEL, losses, seeds, EPOCHS), artifacts);
  }

  private static BenchmarkSummary run(BenchmarkClient client, BenchmarkSpec spec) {
    String id = client.submit(spec, OrchestrationSettings.defaults()).benchmarkId();
    BenchmarkSummary summary = client.await(id, Duration.ofSeconds(1), ProgressListener.NONE);
    assertEquals(RunPhase.SUCCEEDED, summary.status(), summary.toString());
    return summary;
  }

  private static Map<String, Run> byId(List<Run> runs) {
    return runs.stream().collect(Collectors.toMap(Run::id, Function.identity()));
  }
}
