package dev.lossbench.workflows.benchmark;

import dev.lossbench.workflows.ActivityPolicies;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.activities.CellRuns;
import dev.lossbench.workflows.activities.PreparedDataset;
import dev.lossbench.workflows.activities.RunPlan;
import dev.lossbench.workflows.activities.StoreActivities;
import dev.lossbench.workflows.adaptive.AdaptiveBenchmark;
import dev.lossbench.workflows.adaptive.AdaptiveState;
import dev.lossbench.workflows.benchmark.BenchmarkProgress.Phase;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.Cell;
import dev.lossbench.workflows.run.RunOutcome;
import dev.lossbench.workflows.run.RunPhase;
import dev.lossbench.workflows.run.RunRequest;
import dev.lossbench.workflows.run.RunWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TerminatedFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Deterministic: every decision comes from the request and from activity and child results.
 *
 * <p>One workflow run handles at most {@link dev.lossbench.workflows.OrchestrationSettings#runsPerWorkflowRun()}
 * cells; then it waits for its children to end (a child must not outlive the run that started it: the default
 * parent close policy would terminate it) and continues as new with a {@link BenchmarkContinuation}. So a
 * workflow run's history stays near 8 events per cell of its batch whatever the matrix's size, and the
 * payloads it answers with (progress, summary) carry counts and at most
 * {@link BenchmarkSummary#MAX_PROBLEMS} runs. Only the first run registers the benchmark: a continued run
 * never re-queues the runs that failed earlier in the same submission.
 */
public final class BenchmarkWorkflowImpl implements BenchmarkWorkflow {
  /** The change id of batches with continue-as-new (version 1). */
  static final String BATCHES = "batches-continue-as-new";
  /** The change id of run ids by cell content, linked to every benchmark with the cell (version 1). */
  static final String CONTENT_RUN_IDS = "content-run-ids";
  /** The change id of adaptive matrices (version 1): only their histories have it, so older ones replay as they were. */
  static final String ADAPTIVE = "adaptive-matrices";
  private final StoreActivities store = Workflow.newActivityStub(StoreActivities.class, ActivityPolicies.store());
  private final DatasetPreparation datasets = new DatasetPreparation();

  private String benchmarkId;
  private Phase phase = Phase.REGISTERING;
  private RunCounts counts = RunCounts.none(0);
  /** The runs this workflow run started or ended (at most one batch). */
  private final Map<String, RunState> runs = new LinkedHashMap<>();
  private final List<RunState> problems = new ArrayList<>();
  private final Map<String, Ending> endedParents = new HashMap<>();
  private Set<String> parents = Set.of();
  private final List<Promise<Void>> children = new ArrayList<>();
  private int inFlight;
  /** {@link Workflow#DEFAULT_VERSION} when replaying a history written before batches: one run, no continue-as-new. */
  private int version;
  private List<Cell> cells = List.of();
  /** Index of the cell being handled now. */
  private int cursor;
  /** Runs that had succeeded before this submission (skipped). */
  private final Set<String> skippedBefore = new HashSet<>();
  /** The run of each cell, by content or as workflows started before made it. */
  private CellRunIds runIds;

  @Override
  public BenchmarkSummary run(BenchmarkRequest request) {
    benchmarkId = request.benchmarkId();
    BenchmarkSpec spec = request.spec();
    cells = spec.trainsAdaptively() ? spec.firstCells() : spec.cells();
    counts = RunCounts.none(cells.size());
    BenchmarkContinuation from = request.continuation();
    version = Workflow.getVersion(BATCHES, Workflow.DEFAULT_VERSION, 1);
    int batch = version == Workflow.DEFAULT_VERSION ? Integer.MAX_VALUE : request.settings().runsPerWorkflowRun();
    try {
      Set<String> succeeded = skippedBefore;
      Map<String, PreparedDataset> prepared;
      Map<String, Ending> unprepared;
      int first;
      int workflowRun;
      if (from == null) {
        boolean contentRunIds = Workflow.getVersion(CONTENT_RUN_IDS, Workflow.DEFAULT_VERSION,
            1) != Workflow.DEFAULT_VERSION;
        runIds = new CellRunIds(benchmarkId, contentRunIds, null);
        if (contentRunIds) {
          CellRuns registered = store.registerCells(benchmarkId, spec);
          runIds.add(registered.runIds());
          succeeded.addAll(registered.succeeded());
        } else {
          succeeded.addAll(store.registerBenchmark(benchmarkId, spec));
        }
        parents = parentRuns();
        counts = counts.skip((int) cells.stream().filter(c -> succeeded.contains(runIds.of(c.id()))).count());
        phase = Phase.PREPARING_DATA;
        prepared = new LinkedHashMap<>();
        unprepared = new LinkedHashMap<>();
        datasets.prepare(cells, c -> !succeeded.contains(runIds.of(c.id())), prepared, unprepared);
        first = 0;
        workflowRun = 0;
      } else {
        runIds = new CellRunIds(benchmarkId, from.contentRunIds(), from.runIds());
        parents = parentRuns();
        counts = from.counts();
        problems.addAll(from.problems());
        endedParents.putAll(from.endedParents());
        succeeded.addAll(from.skip());
        prepared = from.prepared();
        unprepared = from.unprepared();
        first = from.nextCell();
        workflowRun = from.workflowRun();
      }

      phase = Phase.RUNNING;
      if (spec.trainsAdaptively()) {
        runAdaptive(request, from, prepared, unprepared, workflowRun, batch);
        first = cells.size(); // the driver has handled them: the loop below is the full matrix's
      }
      int handled = 0;
      for (int i = first; i < cells.size(); i++) {
        cursor = i;
        Cell cell = cells.get(i);
        String runId = runIds.of(cell.id());
        if (succeeded.contains(runId)) {
          continue;
        }
        if (handled == batch) {
          continueAsNew(request, cells, i, succeeded, prepared, unprepared, workflowRun);
        }
        handled++;
        RunState state = pendingState(runId, cell);
        if (failedOnData(state, cell, unprepared)) {
          continue;
        }
        if (cell.parent() != null) {
          // a fine-tuning cell starts from its parent's best checkpoint: the parent comes earlier in
          // cells() (stage order), so it has started or finished by now, in this workflow run or an earlier one
          String parentRun = runIds.of(cell.parent());
          Workflow.await(() -> isFinished(parentRun));
          Ending parentEnd = endingOf(parentRun);
          if (parentEnd != null) {
            String error = "its parent run " + parentRun + " (" + cell.dataset().init().from() + ") ended "
                + parentEnd.status() + ": a fine-tuning run needs its parent's checkpoint";
            store.finishRun(runId, RunPhase.FAILED, error);
            end(state, RunPhase.FAILED, error, parentEnd.errorType(), false);
            continue;
          }
        }
        Workflow.await(() -> inFlight < spec.maxParallelRuns());
        startChild(state, plan(runId, cell, prepared, null), request);
      }
      cursor = cells.size();
      Workflow.await(() -> inFlight == 0);
    } catch (CanceledFailure e) {
      Workflow.newDetachedCancellationScope(this::recordCancellation).run();
      throw e;
    }
    phase = Phase.FINISHED;
    // an adaptive benchmark leaves runs pending (seeds no look needed) and stops others: it succeeded if none failed
    boolean allSucceeded = spec.trainsAdaptively() ? counts.unsucceeded() == 0 : counts.succeeded() == counts.total();
    RunPhase status = allSucceeded ? RunPhase.SUCCEEDED : RunPhase.FAILED;
    storeComparisons();
    store.finishBenchmark(benchmarkId, status);
    return new BenchmarkSummary(benchmarkId, status, counts, List.copyOf(problems));
  }

  /**
   * The comparison engine's verdicts, stored before the benchmark is marked finished so that a finished benchmark has
   * them. Histories written before this step replay without it. A failure here does not fail the benchmark: its
   * runs are recorded, and the leaderboard and report compute missing comparisons on demand.
   */
  private void storeComparisons() {
    if (Workflow.getVersion("store-comparisons", Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return;
    }
    try {
      store.storeComparisons(benchmarkId);
    } catch (ActivityFailure e) {
      Workflow.getLogger(BenchmarkWorkflowImpl.class).warn("comparisons of {} not stored (computed on demand): {}",
          benchmarkId, e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
    }
  }

  /** Waits for this batch's children, then hands over to a fresh workflow run (never returns). */
  private void continueAsNew(BenchmarkRequest request, List<Cell> cells, int next, Set<String> succeeded,
      Map<String, PreparedDataset> prepared, Map<String, Ending> unprepared, int workflowRun) {
    Workflow.await(() -> inFlight == 0);
    List<String> ahead = new ArrayList<>();
    for (Cell c : cells.subList(next, cells.size())) {
      String id = runIds.of(c.id());
      if (succeeded.contains(id)) {
        ahead.add(id);
      }
    }
    Workflow.continueAsNew(request.continuing(continuation(next, prepared, unprepared, ahead, workflowRun, null)));
  }

  /** What the next workflow run starts from: this one's counts, problems, data, ended parents and run ids. */
  private BenchmarkContinuation continuation(int next, Map<String, PreparedDataset> prepared,
      Map<String, Ending> unprepared, List<String> ahead, int workflowRun, AdaptiveState adaptive) {
    return new BenchmarkContinuation(next, counts, List.copyOf(problems), Map.copyOf(prepared), Map.copyOf(unprepared),
        Map.copyOf(endedParents), ahead, workflowRun + 1, runIds.byContent(), runIds.registered(), adaptive);
  }

  /**
   * An adaptive matrix: the {@link AdaptiveBenchmark} driver decides which runs train and how far, from the store's
   * figures; then the variants {@code lossbench resume --promote} names continue. Continues as new every
   * {@code runsPerWorkflowRun} runs started, with the driver's state.
   */
  private void runAdaptive(BenchmarkRequest request, BenchmarkContinuation from, Map<String, PreparedDataset> prepared,
      Map<String, Ending> unprepared, int workflowRun, int batch) {
    Workflow.getVersion(ADAPTIVE, Workflow.DEFAULT_VERSION, 1);
    BenchmarkSpec spec = request.spec();
    int[] started = {0};
    AdaptiveBenchmark driver = new AdaptiveBenchmark(benchmarkId, spec, store, runIds::of,
        new AdaptiveBenchmark.Runs() {
          @Override
          public void start(Cell cell, Integer untilEpochs) {
            String runId = runIds.of(cell.id());
            RunState state = pendingState(runId, cell);
            if (failedOnData(state, cell, unprepared)) {
              return;
            }
            Workflow.await(() -> inFlight < spec.maxParallelRuns());
            started[0]++;
            startChild(state, plan(runId, cell, prepared, untilEpochs), request);
          }

          @Override
          public void awaitIdle() {
            Workflow.await(() -> inFlight == 0);
          }

          @Override
          public void beforeStart(AdaptiveState state) {
            if (started[0] >= batch) {
              Workflow.await(() -> inFlight == 0);
              Workflow.continueAsNew(
                  request.continuing(continuation(0, prepared, unprepared, List.of(), workflowRun, state)));
            }
          }

          @Override
          public void stopped(String runId) {
            RunState r = runs.get(runId);
            if (r != null) {
              runs.put(runId, r.with(RunPhase.STOPPED, null, null));
            }
            counts = counts.end(RunPhase.STOPPED, false, false);
          }

          @Override
          public void unstopped(String runId) {
            counts = counts.unstop();
          }

          @Override
          public void linked(CellRuns linked, int cellCount) {
            runIds.add(linked.runIds());
            counts = counts.add(cellCount).skip(linked.succeeded().size());
          }
        });
    AdaptiveState state = driver.run(from != null && from.adaptive() != null ? from.adaptive() : driver.initial());
    if (!request.promote().isEmpty()) {
      driver.promote(state, request.promote());
    }
  }

  private Set<String> parentRuns() {
    return cells.stream().map(Cell::parent).filter(Objects::nonNull).map(runIds::of).collect(Collectors.toSet());
  }

  private void startChild(RunState state, RunPlan plan, BenchmarkRequest request) {
    RunWorkflow child = Workflow.newChildWorkflowStub(RunWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(plan.runId())
        .setTaskQueue(TaskQueues.WORKFLOWS)
        // a resumed benchmark runs a failed cell again under the same id
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
        .build());
    inFlight++;
    runs.put(plan.runId(), state.with(RunPhase.RUNNING, null, null));
    counts = counts.start();
    Promise<RunOutcome> outcome = Async.function(child::run, new RunRequest(plan, request.settings()));
    Promise<Void> recorded = outcome.handle((o, failure) -> {
      RunState running = runs.get(plan.runId());
      if (o != null && o.status() == RunPhase.RUNNING) {
        // reached its rung (adaptive): it waits for the rung's decision
        runs.put(running.runId(), running.with(RunPhase.PENDING, null, null));
        counts = counts.pause();
        return Workflow.newPromise((Void) null);
      }
      if (o != null) {
        end(running, o.status(), o.error(), o.errorType(), true);
        return Workflow.newPromise((Void) null);
      }
      return childFailed(running, failure);
    }).thenCompose(p -> p);
    children.add(recorded.handle((ignored, failure) -> {
      inFlight--;
      return null;
    }));
  }

  /** The plan of a cell's run; the parent's run travels in it, so no activity works it out again. */
  private RunPlan plan(String runId, Cell cell, Map<String, PreparedDataset> prepared, Integer untilEpochs) {
    String parentRun = cell.parent() == null ? null : runIds.of(cell.parent());
    return new RunPlan(runId, benchmarkId, cell, prepared.get(cell.dataset().id()), parentRun, untilEpochs);
  }

  private static RunState pendingState(String runId, Cell cell) {
    return new RunState(runId, cell.id(), cell.dataset().name(), cell.modelLabel(), cell.lossLabel(), cell.seed(),
        RunPhase.PENDING, null, false, null);
  }

  /** A cell whose dataset could not be prepared: its run is recorded failed with the preparation's error. */
  private boolean failedOnData(RunState state, Cell cell, Map<String, Ending> unprepared) {
    Ending dataError = unprepared.get(cell.dataset().id());
    if (dataError == null) {
      return false;
    }
    store.finishRun(state.runId(), RunPhase.FAILED, dataError.error());
    end(state, RunPhase.FAILED, dataError.error(), dataError.errorType(), false);
    return true;
  }

  /** Records that a run ended: in this batch's states, the counts, the problems and the parents later cells need. */
  private void end(RunState state, RunPhase status, String error, String errorType, boolean wasRunning) {
    RunState ended = state.with(status, status == RunPhase.SUCCEEDED ? null : error,
        status == RunPhase.SUCCEEDED ? null : errorType);
    runs.put(ended.runId(), ended);
    counts = counts.end(status, wasRunning, ended.isInvalidInput());
    if (status != RunPhase.SUCCEEDED && status != RunPhase.STOPPED) {
      if (problems.size() < BenchmarkSummary.MAX_PROBLEMS) {
        problems.add(ended.bounded());
      }
      if (parents.contains(ended.runId())) {
        RunState b = ended.bounded();
        endedParents.put(ended.runId(), new Ending(status, b.error(), errorType));
      }
    }
  }

  /**
   * The child workflow itself failed (terminated, timed out, a workflow task failure), so it recorded nothing:
   * the run is recorded failed here, with the reason. A cancelled child records its cancellation itself.
   */
  private Promise<Void> childFailed(RunState state, RuntimeException failure) {
    Throwable cause = failure instanceof ChildWorkflowFailure c && c.getCause() != null ? c.getCause() : failure;
    if (cause instanceof CanceledFailure) {
      end(state, RunPhase.CANCELLED, "cancelled", null, true);
      return Workflow.newPromise((Void) null);
    }
    String how = cause instanceof TerminatedFailure
        ? "was terminated"
        : cause instanceof TimeoutFailure ? "timed out" : "failed";
    String detail = cause instanceof TemporalFailure t ? t.getOriginalMessage() : cause.getMessage();
    String error = "run workflow " + state.runId() + " " + how
        + (detail == null || detail.isBlank() ? "" : ": " + detail);
    end(state, RunPhase.FAILED, error, null, true);
    // histories recorded before this activity existed replay without it
    if (Workflow.getVersion("fail-unfinished-run", Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return Workflow.newPromise((Void) null);
    }
    return Async.procedure(store::failUnfinishedRun, state.runId(), error);
  }

  /** A run this workflow run has not seen ended in an earlier one, or succeeded before this submission. */
  private boolean isFinished(String runId) {
    RunState r = runs.get(runId);
    return r == null || r.status().isFinished();
  }

  /** How a finished run ended when it did not succeed; {@code null} when it succeeded. */
  private Ending endingOf(String runId) {
    RunState r = runs.get(runId);
    if (r != null) {
      return r.status() == RunPhase.SUCCEEDED ? null : new Ending(r.status(), r.error(), r.errorType());
    }
    return endedParents.get(runId);
  }

  private void recordCancellation() {
    phase = Phase.CANCELLING;
    // children got the cancellation with this workflow; wait for them to record it themselves
    Promise.allOf(children).get();
    for (RunState r : List.copyOf(runs.values())) {
      if (!r.status().isFinished()) {
        store.finishRun(r.runId(), RunPhase.CANCELLED, "benchmark cancelled");
        end(r, RunPhase.CANCELLED, "benchmark cancelled", null, r.status() == RunPhase.RUNNING);
      }
    }
    if (version == Workflow.DEFAULT_VERSION) {
      // as histories written before batches did: each run not reached yet, one activity each
      for (Cell c : cells.subList(cursor, cells.size())) {
        String runId = runIds.of(c.id());
        if (!runs.containsKey(runId) && !skippedBefore.contains(runId)) {
          store.finishRun(runId, RunPhase.CANCELLED, "benchmark cancelled");
        }
      }
    }
    // the store marks the runs this benchmark has not reached yet cancelled too
    store.finishBenchmark(benchmarkId, RunPhase.CANCELLED);
    counts = counts.cancelPending();
    phase = Phase.CANCELLED;
  }

  @Override
  public BenchmarkProgress progress() {
    List<RunState> running = runs.values().stream().filter(r -> r.status() == RunPhase.RUNNING).toList();
    return new BenchmarkProgress(benchmarkId, phase, counts, running, List.copyOf(problems));
  }
}
