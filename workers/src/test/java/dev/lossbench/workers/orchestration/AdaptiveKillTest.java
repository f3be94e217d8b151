package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.record.TrainingAttempt;
import dev.lossbench.workers.activities.StoreActivitiesImpl;
import dev.lossbench.workers.stack.LossbenchHome;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lossbench run} of an adaptive matrix, the whole process (embedded PostgreSQL, in-process Temporal, workers)
 * killed the way {@code kill -9} kills it — the JVM halts right before the first rung's stops are written — then
 * {@code lossbench resume}: a new workflow execution recomputes the rung's decision from the store, reaches the
 * survivors the recorded figures give, and trains no epoch twice.
 */
class AdaptiveKillTest {
  @TempDir
  Path dir;

  @Test
  void killedDuringARungDecisionThenResumedReachesTheSameSurvivors() throws Exception {
    String yaml = Matrices.tiny("halted", Matrices.SYNTHETIC, "'vse-mean:embed_dim=16,word_dim=8'",
        "triplet-hn, infonce, 'infonce:tau=0.5', 'unified:gamma=20'", 2, 3)
        + "adaptive: {early_stopping: {rule: successive-halving, grace_epochs: 1, reduction_factor: 2}}\n";
    Path matrix = Files.writeString(dir.resolve("halted.yaml"), yaml);
    BenchmarkSpec spec = Matrices.parse(yaml, dir);
    String benchmarkId = RunIds.benchmarkId(spec);
    Path home = dir.resolve("home");

    WorkerProcess run = WorkerProcess.lossbench(List.of("run", matrix.toString(), "--home", home.toString()),
        Map.of(StoreActivitiesImpl.HALT_BEFORE_STOP, "1", "OMP_WAIT_POLICY", "PASSIVE"), dir.resolve("run.log"));
    assertTrue(run.process.waitFor(10, TimeUnit.MINUTES), () -> "still running: " + run.log());
    assertEquals(137, run.process.exitValue(), run::log);

    LossbenchHome lossbench = new LossbenchHome(home);
    // halted at the first rung's decision: every run trained to epoch 1, none stopped yet
    Map<String, List<String>> beforeResume = lossbench.read(store -> {
      Map<String, List<String>> rows = new TreeMap<>();
      for (Run r : store.runs().byBenchmark(benchmarkId)) {
        assertEquals(RunStatus.RUNNING, r.status(), r.variant() + " seed " + r.seed());
        rows.put(r.id(), timings(store.epochMetrics().forRun(r.id())));
        assertEquals(1, rows.get(r.id()).size(), "one epoch: " + rows.get(r.id()));
      }
      return rows;
    });
    assertEquals(8, beforeResume.size());

    WorkerProcess resume = WorkerProcess.lossbench(List.of("resume", "halted", "--home", home.toString()),
        Map.of("OMP_WAIT_POLICY", "PASSIVE"), dir.resolve("resume.log"));
    assertTrue(resume.process.waitFor(10, TimeUnit.MINUTES), () -> "still running: " + resume.log());
    assertEquals(0, resume.process.exitValue(), resume::log);

    lossbench.read(store -> {
      Map<String, List<Run>> byVariant = new LinkedHashMap<>();
      store.runs().byBenchmark(benchmarkId).stream().sorted(Comparator.comparing(Run::seed))
          .forEach(r -> byVariant.computeIfAbsent(r.variant(), v -> new ArrayList<>()).add(r));
      Map<String, Integer> rungOf = new TreeMap<>();
      for (Map.Entry<String, List<Run>> e : byVariant.entrySet()) {
        Set<RunStatus> statuses = e.getValue().stream().map(Run::status).collect(Collectors.toSet());
        assertEquals(1, statuses.size(), e.getKey() + " " + statuses);
        rungOf.put(e.getKey(), statuses.contains(RunStatus.STOPPED)
            ? store.runs().stoppedEpoch(e.getValue().get(0).id()).orElseThrow()
            : 3);
        if (!statuses.contains(RunStatus.STOPPED)) {
          assertEquals(Set.of(RunStatus.SUCCEEDED), statuses, e.getKey());
        }
      }
      assertEquals(3, rungOf.get("triplet-hn"));
      assertEquals(List.of(1, 2, 3, 3), rungOf.values().stream().sorted().toList(), rungOf.toString());
      // the rung-1 decision from the figures the killed process recorded (epoch 0, not trained again)
      Map<String, Double> means = new TreeMap<>();
      byVariant.forEach((v, runs) -> {
        if (!v.equals("triplet-hn")) {
          means.put(v, runs.stream().mapToDouble(r -> store.epochMetrics().validationRsumAt(List.of(r.id()), 0)
              .get(r.id())).average().orElseThrow());
        }
      });
      String last = means.keySet().stream().sorted(Comparator.comparing((String v) -> -means.get(v))
          .thenComparing(Comparator.naturalOrder())).reduce((a, b) -> b).orElseThrow();
      assertEquals(1, rungOf.get(last), "rung 1 stops the lowest of " + means);
      int total = 0;
      for (List<Run> runs : byVariant.values()) {
        for (Run r : runs) {
          List<EpochMetric> epochs = store.epochMetrics().forRun(r.id());
          assertEquals(beforeResume.get(r.id()), timings(epochs.subList(0, 1)), "epoch 0 not trained again: " + r.id());
          int want = rungOf.get(r.variant());
          assertEquals(want, epochs.size());
          assertEquals(want, store.attempts().byRun(r.id()).stream().mapToInt(TrainingAttempt::epochsTrained).sum(),
              "epochs trained over its attempts, each once: " + store.attempts().byRun(r.id()));
          total += want;
        }
      }
      assertEquals(18, total, "(4 + 3 + 2) variants' epochs × 2 seeds");
      return null;
    });
  }

  private static List<String> timings(List<EpochMetric> epochs) {
    return epochs.stream().map(m -> m.epoch() + " " + m.seconds() + " s " + m.trainLoss()).toList();
  }
}
