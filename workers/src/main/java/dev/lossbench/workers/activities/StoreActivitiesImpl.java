package dev.lossbench.workers.activities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.failure.RunTransitionRefusedException;
import dev.lossbench.schema.record.BenchmarkDefinition;
import dev.lossbench.schema.record.BenchmarkStatus;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunDefinition;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.workers.compare.StoredComparisons;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.activities.CellRuns;
import dev.lossbench.workflows.activities.LookGroup;
import dev.lossbench.workflows.activities.RunAtRung;
import dev.lossbench.workflows.activities.StoreActivities;
import dev.lossbench.workflows.activities.VariantDecision;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.Cell;
import dev.lossbench.workflows.matrix.DatasetFiles;
import dev.lossbench.workflows.matrix.DatasetSpec;
import dev.lossbench.workflows.run.RunPhase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The metrics store's bookkeeping for the workflows. */
public final class StoreActivitiesImpl implements StoreActivities {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<RunStatus> RETRY_ON_RESUME = Set.of(RunStatus.FAILED, RunStatus.DIVERGED,
      RunStatus.CANCELLED);

  private static final Set<RunStatus> UNFINISHED = Set.of(RunStatus.PENDING, RunStatus.RUNNING);

  private final MetricsStore store;

  public StoreActivitiesImpl(MetricsStore store) {
    this.store = store;
  }

  @Override
  public List<String> registerBenchmark(String benchmarkId, BenchmarkSpec spec) {
    register(benchmarkId, spec);
    List<RunDefinition> defs = new ArrayList<>();
    for (Cell c : spec.cells()) {
      defs.add(definition(RunIds.runId(benchmarkId, c.id()), benchmarkId, c));
    }
    store.runs().registerAll(defs);
    // a new submission of this benchmark: what failed, diverged or was cancelled runs again; a row
    // still marked as training, left by a process that died, stays so and its next attempt is a retry
    for (Run r : store.runs().byBenchmark(benchmarkId, RETRY_ON_RESUME)) {
      store.runs().requeue(r.id(), "benchmark submitted again");
    }
    return List.copyOf(store.runs().succeededIds(benchmarkId));
  }

  @Override
  public CellRuns registerCells(String benchmarkId, BenchmarkSpec spec) {
    register(benchmarkId, spec);
    CellRuns runs = link(benchmarkId, spec.firstCells());
    // a new submission: what failed, diverged or was cancelled in this benchmark runs again (with sequential seeds,
    // the later seeds an earlier submission linked too)
    for (Run r : store.runs().byBenchmark(benchmarkId, RETRY_ON_RESUME)) {
      store.runs().requeue(r.id(), "benchmark " + benchmarkId + " submitted");
    }
    return runs;
  }

  @Override
  public CellRuns linkCells(String benchmarkId, BenchmarkSpec spec, List<String> cellIds) {
    Set<String> wanted = Set.copyOf(cellIds);
    Set<String> before = new HashSet<>();
    store.runs().byBenchmark(benchmarkId).forEach(r -> before.add(r.id()));
    CellRuns runs = link(benchmarkId, spec.cells().stream().filter(c -> wanted.contains(c.id())).toList());
    // a run that failed in another benchmark is tried again here; one this benchmark linked before is not (it failed
    // in this submission, or the submission's registration requeued it)
    for (Run r : store.runs().byBenchmark(benchmarkId, RETRY_ON_RESUME)) {
      if (!before.contains(r.id())) {
        store.runs().requeue(r.id(), "benchmark " + benchmarkId + " linked it");
      }
    }
    return runs;
  }

  /** The benchmark (running) and its datasets: the one registration of a matrix's datasets. */
  private void register(String benchmarkId, BenchmarkSpec spec) {
    store.benchmarks().register(new BenchmarkDefinition(benchmarkId, spec.name(), json(spec.toCanonicalJson()),
        spec.specHash(), spec.baseline()));
    store.benchmarks().markRunning(benchmarkId);
    spec.datasets().forEach(d -> DatasetRecords.register(store, d));
  }

  /** Links the run of each cell to the benchmark (new ones pending); requeues its failed ones; what succeeded. */
  private CellRuns link(String benchmarkId, List<Cell> cells) {
    Map<String, String> identities = CellIdentities.of(cells, benchmarkId);
    // a cell some benchmark registered before (this one, another, or an earlier release's) keeps its run
    Map<String, String> existing = store.runs().runIdsByCell(identities.values());
    List<RunDefinition> defs = new ArrayList<>();
    List<String> cellIds = new ArrayList<>();
    Map<String, String> runIds = new HashMap<>();
    for (Cell c : cells) {
      String identity = identities.get(c.id());
      String runId = existing.getOrDefault(identity, RunIds.ofCell(identity));
      if (!runId.equals(RunIds.ofCell(c.id()))) {
        runIds.put(c.id(), runId);
      }
      defs.add(definition(runId, benchmarkId, c));
      cellIds.add(identity);
    }
    store.runs().registerCells(defs, cellIds);
    Set<String> linked = new HashSet<>();
    defs.forEach(d -> linked.add(d.id()));
    return new CellRuns(runIds, store.runs().succeededIds(benchmarkId).stream().filter(linked::contains).toList());
  }

  private static RunDefinition definition(String runId, String benchmarkId, Cell c) {
    return new RunDefinition(runId, benchmarkId, c.dataset().id(), c.modelLabel(),
        c.lossSpec().name().id(), JSON.valueToTree(c.lossSpec().params()), c.lossLabel(), c.seed(),
        JSON.valueToTree(c.trainingConfig().recordedValues()), validationIsTest(c.dataset()));
  }

  @Override
  public void finishRun(String runId, RunPhase status, String error) {
    store.runs().finish(runId, RunStatus.fromSql(status.word()), error);
  }

  @Override
  public void failUnfinishedRun(String runId, String error) {
    Run run = store.runs().find(runId).orElse(null);
    if (run == null || run.status().isFinished()) {
      return;
    }
    try {
      store.runs().finish(runId, RunStatus.FAILED, error);
    } catch (RunTransitionRefusedException e) {
      // it finished in the meantime: what it recorded stands
    }
  }

  @Override
  public void finishBenchmark(String benchmarkId, RunPhase status) {
    if (status == RunPhase.CANCELLED) {
      for (Run r : store.runs().byBenchmark(benchmarkId, UNFINISHED)) {
        store.runs().finish(r.id(), RunStatus.CANCELLED, "benchmark cancelled");
      }
    }
    store.benchmarks().finish(benchmarkId, BenchmarkStatus.valueOf(status.name()));
  }

  @Override
  public void storeComparisons(String benchmarkId) {
    StoredComparisons.refresh(store, benchmarkId);
  }

  @Override
  public List<RunAtRung> atRung(List<String> runIds, int epochs) {
    Map<String, RunStatus> statuses = store.runs().statuses(runIds);
    Map<String, Double> rsum = store.epochMetrics().validationRsumAt(runIds, epochs - 1);
    List<RunAtRung> at = new ArrayList<>();
    for (String id : runIds) {
      RunStatus s = statuses.get(id);
      if (s != null) {
        at.add(new RunAtRung(id, RunPhase.of(s.sqlName()), rsum.get(id)));
      }
    }
    return at;
  }

  /**
   * A fault-injection seam for the crash tests (never set in production): when this environment variable is set, the
   * worker's JVM halts — as {@code kill -9} would end it — right before a rung's stops are written.
   */
  public static final String HALT_BEFORE_STOP = "LOSSBENCH_TEST_HALT_BEFORE_STOP";

  @Override
  public void stopRuns(List<String> runIds, int epochs) {
    if (System.getenv(HALT_BEFORE_STOP) != null) {
      Runtime.getRuntime().halt(137);
    }
    for (String id : runIds) {
      store.runs().stop(id, epochs);
    }
  }

  @Override
  public List<VariantDecision> look(String benchmarkId, int n, List<LookGroup> groups) {
    return StoredComparisons.look(store, benchmarkId, n, groups);
  }

  // the dataset's files as they are when the runs are registered (the run command's warning asks the same)
  private static boolean validationIsTest(DatasetSpec d) {
    return DatasetFiles.validationIsTest(d.kind(), d.path()) != null;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException("canonical spec is not JSON", e);
    }
  }

}
