package dev.lossbench.workers.stack;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.workers.activities.DatasetActivitiesImpl;
import dev.lossbench.workers.activities.EvaluationActivitiesImpl;
import dev.lossbench.workers.activities.StoreActivitiesImpl;
import dev.lossbench.workers.activities.TrainingActivitiesImpl;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.benchmark.BenchmarkWorkflowImpl;
import dev.lossbench.workflows.run.RunWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Workers for the chosen task queues in this process: workflow tasks, the {@code cpu} queue
 * (datasets, store bookkeeping) and the {@code gpu} queue (training and evaluation, one at a
 * time — DJL's PyTorch autograd is process-global).
 */
public final class WorkerHost implements AutoCloseable {
  private final WorkerFactory factory;

  private WorkerHost(WorkerFactory factory) {
    this.factory = factory;
  }

  /** Workers in the Temporal server's own process (the embedded stack, {@code lossbench server}, tests). */
  public static WorkerHost start(WorkflowClient client, Set<String> queues, MetricsStore store, Path artifacts,
      String identity) {
    return start(client, queues, store, artifacts, identity, true);
  }

  /**
   * Workers for {@code queues}; {@code sticky} false for a process that can die on its own ({@code lossbench worker}):
   * Temporal's in-process server never times out a sticky queue, so a workflow whose sticky worker was killed would
   * wait for that worker forever (tasks and progress queries alike). Without stickiness every workflow task and
   * query goes to the shared queue and any live workflow worker (the server's own) takes it; the price is a replay
   * of the workflow's history per task, at most a few thousand events ({@code OrchestrationSettings}).
   */
  public static WorkerHost start(WorkflowClient client, Set<String> queues, MetricsStore store, Path artifacts,
      String identity,
      boolean sticky) {
    WorkerFactory factory = WorkerFactory.newInstance(client,
        WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new ActivityLog()).build());
    register(factory, queues, store, artifacts, identity, sticky);
    factory.start();
    return new WorkerHost(factory);
  }

  /** Registers workers on an existing factory (tests use the testing environment's). */
  public static void register(WorkerFactory factory, Set<String> queues, MetricsStore store, Path artifacts,
      String identity) {
    register(factory, queues, store, artifacts, identity, true);
  }

  private static void register(WorkerFactory factory, Set<String> queues, MetricsStore store, Path artifacts,
      String identity,
      boolean sticky) {
    TaskQueues.requireKnown(queues);
    if (queues.contains(TaskQueues.WORKFLOWS)) {
      // a zero schedule-to-start timeout makes the SDK ask for no sticky queue at all
      Worker w = sticky
          ? factory.newWorker(TaskQueues.WORKFLOWS)
          : factory.newWorker(TaskQueues.WORKFLOWS,
              WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ZERO).build());
      w.registerWorkflowImplementationTypes(BenchmarkWorkflowImpl.class, RunWorkflowImpl.class);
    }
    if (queues.contains(TaskQueues.CPU)) {
      Worker w = factory.newWorker(TaskQueues.CPU,
          WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(4).build());
      w.registerActivitiesImplementations(new StoreActivitiesImpl(store), new DatasetActivitiesImpl(store, artifacts));
    }
    if (queues.contains(TaskQueues.GPU)) {
      // heartbeats carry the live progress the command line shows: send them every few seconds,
      // not at the SDK's default of 0.8 × the heartbeat timeout
      Worker w = factory.newWorker(TaskQueues.GPU, WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(1)
          .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(3))
          .setDefaultHeartbeatThrottleInterval(Duration.ofSeconds(3)).build());
      w.registerActivitiesImplementations(new TrainingActivitiesImpl(store, artifacts, identity),
          new EvaluationActivitiesImpl(store));
    }
  }

  @Override
  public void close() {
    factory.shutdownNow();
    factory.awaitTermination(30, TimeUnit.SECONDS);
  }
}
