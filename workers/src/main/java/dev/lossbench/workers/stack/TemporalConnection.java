package dev.lossbench.workers.stack;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

/** A client connection to a Temporal frontend ({@code HOST:PORT}) in one namespace. */
public final class TemporalConnection implements AutoCloseable {
  public static final String DEFAULT_NAMESPACE = "default";

  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final String target;

  private TemporalConnection(WorkflowServiceStubs stubs, WorkflowClient client, String target) {
    this.stubs = stubs;
    this.client = client;
    this.target = target;
  }

  public static TemporalConnection connect(String target, String namespace, String identity) {
    WorkflowServiceStubs stubs = WorkflowServiceStubs
        .newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    WorkflowClient client = WorkflowClient.newInstance(stubs,
        WorkflowClientOptions.newBuilder().setNamespace(namespace).setIdentity(identity).build());
    return new TemporalConnection(stubs, client, target);
  }

  public WorkflowClient client() {
    return client;
  }

  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  public String target() {
    return target;
  }

  @Override
  public void close() {
    stubs.shutdown();
  }
}
