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
import java.util.LinkedHashMap;
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
    String id = RunIds.benchmarkId(spec);
    BenchmarkWorkflow wf = client.newWorkflowStub(BenchmarkWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(id)
        .setTaskQueue(TaskQueues.WORKFLOWS)
        // a finished benchmark may be started again (resume); a running one may not
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .build());
    try {
      WorkflowClient.start(wf::run, new BenchmarkRequest(id, spec, settings));
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
    WorkflowStub stub = client.newUntypedWorkflowStub(benchmarkId);
    CompletableFuture<BenchmarkSummary> result = stub.getResultAsync(BenchmarkSummary.class);
    try {
      while (true) {
        try {
          BenchmarkSummary s = result.get(every.toMillis(), TimeUnit.MILLISECONDS);
          listener.finished();
          return s;
        } catch (TimeoutException e) {
          report(benchmarkId, listener);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + benchmarkId, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  private void report(String benchmarkId, ProgressListener listener) {
    BenchmarkProgress p;
    try {
      p = client.newWorkflowStub(BenchmarkWorkflow.class, benchmarkId).progress();
    } catch (RuntimeException e) {
      return; // not started on a worker yet; the next poll will see it
    }
    Map<String, TrainingProgress> live = new LinkedHashMap<>();
    for (RunState r : p.running()) {
      heartbeat(r.runId()).ifPresent(h -> live.put(r.runId(), h));
    }
    listener.update(p, live);
  }

  /** The last heartbeat of a run's pending training activity, read with Temporal's describe call. */
  public Optional<TrainingProgress> heartbeat(String runId) {
    try {
      DescribeWorkflowExecutionResponse d = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(client.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(runId))
              .build());
      DataConverter converter = client.getOptions().getDataConverter();
      for (PendingActivityInfo a : d.getPendingActivitiesList()) {
        if (a.getActivityType().getName().equals("Train") && a.hasHeartbeatDetails()) {
          return Optional.ofNullable(converter.fromPayloads(0, Optional.of(a.getHeartbeatDetails()), TrainingProgress.class, TrainingProgress.class));
        }
      }
    } catch (RuntimeException e) {
      // the run finished between the query and this call, or has not started: no live figures
    }
    return Optional.empty();
  }
}
