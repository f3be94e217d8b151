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
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.util.Set;
import java.time.Duration;
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

  public static WorkerHost start(WorkflowClient client, Set<String> queues, MetricsStore store, Path artifacts, String identity) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    register(factory, queues, store, artifacts, identity);
    factory.start();
    return new WorkerHost(factory);
  }

  /** Registers workers on an existing factory (tests use the testing environment's). */
  public static void register(WorkerFactory factory, Set<String> queues, MetricsStore store, Path artifacts, String identity) {
    for (String q : queues) {
      if (!TaskQueues.ALL.contains(q)) {
        throw new IllegalArgumentException("unknown task queue '" + q + "': expected " + String.join(", ", TaskQueues.ALL));
      }
    }
    if (queues.contains(TaskQueues.WORKFLOWS)) {
      Worker w = factory.newWorker(TaskQueues.WORKFLOWS);
      w.registerWorkflowImplementationTypes(BenchmarkWorkflowImpl.class, RunWorkflowImpl.class);
    }
    if (queues.contains(TaskQueues.CPU)) {
      Worker w = factory.newWorker(TaskQueues.CPU, WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(4).build());
      w.registerActivitiesImplementations(new StoreActivitiesImpl(store), new DatasetActivitiesImpl(store, artifacts));
    }
    if (queues.contains(TaskQueues.GPU)) {
      // heartbeats carry the live progress the command line shows: send them every few seconds,
      // not at the SDK's default of 0.8 × the heartbeat timeout
      Worker w = factory.newWorker(TaskQueues.GPU, WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(1)
          .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(3))
          .setDefaultHeartbeatThrottleInterval(Duration.ofSeconds(3)).build());
      w.registerActivitiesImplementations(new TrainingActivitiesImpl(store, artifacts, identity), new EvaluationActivitiesImpl(store));
    }
  }

  @Override
  public void close() {
    factory.shutdownNow();
    factory.awaitTermination(30, TimeUnit.SECONDS);
  }
}
