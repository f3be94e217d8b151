package dev.lossbench.workers.stack;

import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.activities.TrainingProgress;
import dev.lossbench.workflows.benchmark.BenchmarkProgress;
import dev.lossbench.workflows.benchmark.BenchmarkRequest;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.benchmark.BenchmarkWorkflow;
import dev.lossbench.workflows.benchmark.RunState;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Submits a benchmark to Temporal (idempotently) and follows it to its end. */
public final class BenchmarkClient {
  private final WorkflowClient client;

  public BenchmarkClient(WorkflowClient client) {
    this.client = client;
  }

  /** The benchmark's id, and whether this call started it or found it already running. */
  public record Submission(String benchmarkId, boolean started) {}

  /**
   * Starts the benchmark's workflow, or finds it running: its id is the benchmark id, and Temporal
   * admits one running workflow per id, so two submissions at once start one benchmark.
   */
  public Submission submit(BenchmarkSpec spec, OrchestrationSettings settings) {
    return submit(spec, settings, List.of());
  }

  /**
   * As {@link #submit(BenchmarkSpec, OrchestrationSettings)}; an adaptive benchmark started so also continues the
   * stopped runs of the loss variants labelled {@code promote} to their last epoch ({@code resume --promote}).
   */
  public Submission submit(BenchmarkSpec spec, OrchestrationSettings settings, List<String> promote) {
    String id = RunIds.benchmarkId(spec);
    BenchmarkWorkflow wf = client.newWorkflowStub(BenchmarkWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(id)
        .setTaskQueue(TaskQueues.WORKFLOWS)
        // a finished benchmark may be started again (resume); a running one may not
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .build());
    try {
      WorkflowClient.start(wf::run, new BenchmarkRequest(id, spec, settings, null, promote));
      return new Submission(id, true);
    } catch (WorkflowExecutionAlreadyStarted e) {
      return new Submission(id, false);
    }
  }

  /**
   * Waits for the benchmark's workflow to end, reporting progress every {@code every}. The workflow id is the
   * benchmark id and no run id is pinned, so the wait and the queries follow the benchmark across its
   * continue-as-new runs to the last one.
   */
  public BenchmarkSummary await(String benchmarkId, Duration every, ProgressListener listener) {
    return await(benchmarkId, every, listener, Duration.ZERO);
  }

  /**
   * As {@link #await(String, Duration, ProgressListener)}, but gives up with {@link NoWorkflowWorker} when no
   * workflow worker has answered the progress query for {@code workerDeadline} (zero: wait for ever, for a stack whose
   * workflow worker lives in this process). The benchmark itself goes on in Temporal and is followed again by
   * submitting it again.
   */
  public BenchmarkSummary await(String benchmarkId, Duration every, ProgressListener listener,
      Duration workerDeadline) {
    WorkflowStub stub = client.newUntypedWorkflowStub(benchmarkId);
    CompletableFuture<BenchmarkSummary> result = stub.getResultAsync(BenchmarkSummary.class);
    long lastAnswer = System.nanoTime();
    try {
      while (true) {
        try {
          BenchmarkSummary s = result.get(every.toMillis(), TimeUnit.MILLISECONDS);
          listener.finished();
          return s;
        } catch (TimeoutException e) {
          if (report(benchmarkId, listener)) {
            lastAnswer = System.nanoTime();
          } else if (!workerDeadline.isZero() && System.nanoTime() - lastAnswer > workerDeadline.toNanos()) {
            listener.finished();
            throw new NoWorkflowWorker(workerDeadline);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + benchmarkId, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  /** No workflow worker answered a progress query for as long as the client waits for one. */
  public static final class NoWorkflowWorker extends RuntimeException {
    NoWorkflowWorker(Duration waited) {
      super("no workflow worker answered for " + waited.toSeconds() + " s");
    }
  }

  /** Reports progress; false when the query got no answer (no workflow worker took it, or none yet). */
  private boolean report(String benchmarkId, ProgressListener listener) {
    BenchmarkProgress p;
    try {
      p = client.newWorkflowStub(BenchmarkWorkflow.class, benchmarkId).progress();
    } catch (RuntimeException e) {
      return false; // not started on a worker yet, or no workflow worker: the next poll will see
    }
    Map<String, TrainingProgress> live = new LinkedHashMap<>();
    for (RunState r : p.running()) {
      describe(r.runId()).ifPresent(d -> {
        training(d).ifPresent(h -> live.put(r.runId(), h));
        workerLost(r.runId(), d).ifPresent(listener::notice);
      });
    }
    listener.update(p, live);
    return true;
  }

  /** A silence this long before an attempt ended means its worker was lost (workers heartbeat every 3 s). */
  static final long LOST_AFTER_SECONDS = 10;

  /** The training attempt last seen per run: its number, its worker, its last heartbeat (epoch seconds). */
  private record Seen(int attempt, String worker, long lastBeat) {}

  private final Map<String, Seen> seen = new LinkedHashMap<>();

  /**
   * "worker W lost (no heartbeat for N s), retrying in N s (attempt K)" once when a run's training moves to a new attempt
   * because its worker stopped heartbeating. Temporal's own verdict (the last failure, a heartbeat timeout) decides where
   * the server gives it; the in-process server gives no last failure, so there a previous attempt silent for
   * {@link #LOST_AFTER_SECONDS} or more counts as lost.
   */
  private Optional<String> workerLost(String runId, DescribeWorkflowExecutionResponse d) {
    for (PendingActivityInfo a : d.getPendingActivitiesList()) {
      if (!a.getActivityType().getName().equals("Train")) {
        continue;
      }
      long now = Instant.now().getEpochSecond();
      boolean started = a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
      long beat = a.hasLastHeartbeatTime()
          ? a.getLastHeartbeatTime().getSeconds()
          : a.hasLastStartedTime() ? a.getLastStartedTime().getSeconds() : now;
      Seen before = seen.get(runId);
      Optional<String> line = Optional.empty();
      if (before != null && a.getAttempt() > before.attempt()) {
        long silent = now - before.lastBeat();
        boolean lost = a.hasLastFailure()
            ? a.getLastFailure().hasTimeoutFailureInfo()
                && a.getLastFailure().getTimeoutFailureInfo().getTimeoutType() == TimeoutType.TIMEOUT_TYPE_HEARTBEAT
            : silent >= LOST_AFTER_SECONDS;
        if (lost) {
          String next = started
              ? "retried"
              : a.hasNextAttemptScheduleTime()
                  ? "retrying in " + Math.max(0, a.getNextAttemptScheduleTime().getSeconds() - now) + " s"
                  : "retrying when a gpu worker is free";
          line = Optional.of(runId + ": worker " + (before.worker().isEmpty() ? "(unknown)" : before.worker())
              + " lost (no heartbeat for " + silent + " s), " + next + " (attempt " + a.getAttempt() + ")");
        }
      }
      if (before == null || a.getAttempt() != before.attempt() || started) {
        String worker = started
            ? a.getLastWorkerIdentity()
            : before != null && a.getAttempt() == before.attempt() ? before.worker() : "";
        seen.put(runId, new Seen(a.getAttempt(), worker, started ? beat : before != null ? before.lastBeat() : now));
      }
      return line;
    }
    return Optional.empty();
  }

  private Optional<DescribeWorkflowExecutionResponse> describe(String runId) {
    try {
      return Optional.of(client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(client.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(runId))
              .build()));
    } catch (RuntimeException e) {
      return Optional.empty(); // the run finished between the query and this call, or has not started
    }
  }

  private Optional<TrainingProgress> training(DescribeWorkflowExecutionResponse d) {
    DataConverter converter = client.getOptions().getDataConverter();
    for (PendingActivityInfo a : d.getPendingActivitiesList()) {
      if (a.getActivityType().getName().equals("Train") && a.hasHeartbeatDetails()) {
        return Optional.ofNullable(converter.fromPayloads(0, Optional.of(a.getHeartbeatDetails()),
            TrainingProgress.class, TrainingProgress.class));
      }
    }
    return Optional.empty();
  }

  /** The last heartbeat of a run's pending training activity, read with Temporal's describe call. */
  public Optional<TrainingProgress> heartbeat(String runId) {
    try {
      return describe(runId).flatMap(this::training);
    } catch (RuntimeException e) {
      return Optional.empty(); // heartbeat details this code cannot read: no live figures
    }
  }
}
