package dev.lossbench.workflows.benchmark;

import dev.lossbench.workflows.ActivityPolicies;
import dev.lossbench.workflows.FailureTypes;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.activities.DatasetActivities;
import dev.lossbench.workflows.activities.PreparedDataset;
import dev.lossbench.workflows.activities.RunPlan;
import dev.lossbench.workflows.activities.StoreActivities;
import dev.lossbench.workflows.benchmark.BenchmarkProgress.Phase;
import dev.lossbench.workflows.benchmark.RunState.Status;
import dev.lossbench.workflows.run.RunOutcome;
import dev.lossbench.workflows.run.RunRequest;
import dev.lossbench.workflows.run.RunWorkflow;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.Cell;
import dev.lossbench.workflows.matrix.DatasetSpec;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Deterministic: every decision comes from the request and from activity and child results. */
public final class BenchmarkWorkflowImpl implements BenchmarkWorkflow {
  private final StoreActivities store = Workflow.newActivityStub(StoreActivities.class, ActivityPolicies.store());
  private final DatasetActivities datasets = Workflow.newActivityStub(DatasetActivities.class, ActivityPolicies.datasets());

  private String benchmarkId;
  private Phase phase = Phase.REGISTERING;
  private final Map<String, RunState> runs = new LinkedHashMap<>();
  private final List<Promise<Void>> children = new ArrayList<>();
  private int inFlight;

  @Override
  public BenchmarkSummary run(BenchmarkRequest request) {
    benchmarkId = request.benchmarkId();
    BenchmarkSpec spec = request.spec();
    List<Cell> cells = spec.cells();
    for (Cell c : cells) {
      String runId = RunIds.runId(benchmarkId, c.id());
      runs.put(runId, new RunState(runId, c.id(), c.dataset().name(), c.modelLabel(), c.lossLabel(), c.seed(),
          Status.PENDING, null, false));
    }
    try {
      Set<String> succeeded = new HashSet<>(store.registerBenchmark(benchmarkId, spec));
      for (String id : succeeded) {
        RunState s = runs.get(id);
        if (s != null) {
          runs.put(id, new RunState(s.runId(), s.cellId(), s.dataset(), s.model(), s.loss(), s.seed(), Status.SUCCEEDED, null, true));
        }
      }
      phase = Phase.PREPARING_DATA;
      Map<String, PreparedDataset> prepared = new LinkedHashMap<>();
      Map<String, String> unprepared = new LinkedHashMap<>();
      prepareDatasets(spec, cells, succeeded, prepared, unprepared);

      phase = Phase.RUNNING;
      for (Cell cell : cells) {
        String runId = RunIds.runId(benchmarkId, cell.id());
        if (succeeded.contains(runId)) {
          continue;
        }
        String dataError = unprepared.get(cell.dataset().id());
        if (dataError != null) {
          store.finishRun(runId, Status.FAILED, dataError);
          update(runId, Status.FAILED, dataError);
          continue;
        }
        if (cell.parent() != null) {
          // a fine-tuning cell starts from its parent's best checkpoint: the parent comes earlier in
          // cells() (stage order), so it has started or finished by now
          String parentRun = RunIds.runId(benchmarkId, cell.parent());
          Workflow.await(() -> isFinished(parentRun));
          Status parentStatus = runs.get(parentRun).status();
          if (parentStatus != Status.SUCCEEDED) {
            String error = "its parent run " + parentRun + " (" + cell.dataset().init().from() + ") ended "
                + parentStatus + ": a fine-tuning run needs its parent's checkpoint";
            store.finishRun(runId, Status.FAILED, error);
            update(runId, Status.FAILED, error);
            continue;
          }
        }
        Workflow.await(() -> inFlight < spec.maxParallelRuns());
        startChild(new RunPlan(runId, benchmarkId, cell, prepared.get(cell.dataset().id())), request);
      }
      Workflow.await(() -> inFlight == 0);
    } catch (CanceledFailure e) {
      Workflow.newDetachedCancellationScope(this::recordCancellation).run();
      throw e;
    }
    phase = Phase.FINISHED;
    boolean allSucceeded = runs.values().stream().allMatch(r -> r.status() == Status.SUCCEEDED);
    Status status = allSucceeded ? Status.SUCCEEDED : Status.FAILED;
    store.finishBenchmark(benchmarkId, status);
    return new BenchmarkSummary(benchmarkId, status, List.copyOf(runs.values()));
  }

  /** Each dataset some unfinished cell needs, once, all at the same time. */
  private void prepareDatasets(BenchmarkSpec spec, List<Cell> cells, Set<String> succeeded,
      Map<String, PreparedDataset> prepared, Map<String, String> unprepared) {
    Map<String, Promise<PreparedDataset>> pending = new LinkedHashMap<>();
    for (Cell c : cells) {
      DatasetSpec d = c.dataset();
      if (!succeeded.contains(RunIds.runId(benchmarkId, c.id())) && !pending.containsKey(d.id())) {
        pending.put(d.id(), Async.function(datasets::prepare, d));
      }
    }
    for (Map.Entry<String, Promise<PreparedDataset>> e : pending.entrySet()) {
      try {
        prepared.put(e.getKey(), e.getValue().get());
      } catch (ActivityFailure f) {
        if (f.getCause() instanceof CanceledFailure cf) {
          throw cf;
        }
        unprepared.put(e.getKey(), FailureTypes.messageOf(f));
      }
    }
  }

  private void startChild(RunPlan plan, BenchmarkRequest request) {
    RunWorkflow child = Workflow.newChildWorkflowStub(RunWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(plan.runId())
        .setTaskQueue(TaskQueues.WORKFLOWS)
        // a resumed benchmark runs a failed cell again under the same id
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
        .build());
    inFlight++;
    update(plan.runId(), Status.RUNNING, null);
    Promise<RunOutcome> outcome = Async.function(child::run, new RunRequest(plan, request.settings()));
    Promise<Void> recorded = outcome.handle((o, failure) -> {
      if (o != null) {
        update(o.runId(), o.status(), o.error());
        return Workflow.newPromise((Void) null);
      }
      return childFailed(plan.runId(), failure);
    }).thenCompose(p -> p);
    children.add(recorded.handle((ignored, failure) -> {
      inFlight--;
      return null;
    }));
  }

  /**
   * The child workflow itself failed (terminated, timed out, a workflow task failure), so it recorded nothing:
   * the run is recorded failed here, with the reason. A cancelled child records its cancellation itself.
   */
  private Promise<Void> childFailed(String runId, RuntimeException failure) {
    Throwable cause = failure instanceof ChildWorkflowFailure c && c.getCause() != null ? c.getCause() : failure;
    if (cause instanceof CanceledFailure) {
      update(runId, Status.CANCELLED, "cancelled");
      return Workflow.newPromise((Void) null);
    }
    String how = cause instanceof TerminatedFailure ? "was terminated" : cause instanceof TimeoutFailure ? "timed out" : "failed";
    String detail = cause instanceof TemporalFailure t ? t.getOriginalMessage() : cause.getMessage();
    String error = "run workflow " + runId + " " + how + (detail == null || detail.isBlank() ? "" : ": " + detail);
    update(runId, Status.FAILED, error);
    return Async.procedure(store::failUnfinishedRun, runId, error);
  }

  private boolean isFinished(String runId) {
    RunState r = runs.get(runId);
    return r == null || r.status().isFinished();
  }

  private void recordCancellation() {
    phase = Phase.CANCELLING;
    // children got the cancellation with this workflow; wait for them to record it themselves
    Promise.allOf(children).get();
    for (RunState r : List.copyOf(runs.values())) {
      if (!r.status().isFinished()) {
        store.finishRun(r.runId(), Status.CANCELLED, "benchmark cancelled");
        update(r.runId(), Status.CANCELLED, "benchmark cancelled");
      }
    }
    store.finishBenchmark(benchmarkId, Status.CANCELLED);
    phase = Phase.CANCELLED;
  }

  private void update(String runId, Status status, String error) {
    runs.computeIfPresent(runId, (k, s) -> s.with(status, error));
  }

  @Override
  public BenchmarkProgress progress() {
    return new BenchmarkProgress(benchmarkId, phase, List.copyOf(runs.values()));
  }
}
