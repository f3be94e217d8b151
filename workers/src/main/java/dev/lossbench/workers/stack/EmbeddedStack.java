package dev.lossbench.workers.stack;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.workflows.TaskQueues;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Everything in one process: the embedded PostgreSQL (persistent under the home), Temporal's
 * in-process server on a local port, and workers for every queue. What {@code lossbench run}
 * uses when no cluster is given.
 */
public final class EmbeddedStack implements AutoCloseable {
  private final MetricsStore store;
  private final TemporalServer temporal;
  private final TemporalConnection connection;
  private final WorkerHost workers;

  private EmbeddedStack(MetricsStore store, TemporalServer temporal, TemporalConnection connection,
      WorkerHost workers) {
    this.store = store;
    this.temporal = temporal;
    this.connection = connection;
    this.workers = workers;
  }

  public static EmbeddedStack start(LossbenchHome home, Path artifacts) {
    MetricsStore store = MetricsStore.open(home.database());
    TemporalServer temporal = null;
    TemporalConnection connection = null;
    try {
      temporal = TemporalServer.start(0);
      connection = TemporalConnection.connect(temporal.target(), TemporalConnection.DEFAULT_NAMESPACE,
          "lossbench-embedded");
      WorkerHost workers = WorkerHost.start(connection.client(), Set.copyOf(TaskQueues.ALL), store, artifacts,
          "embedded@" + hostName());
      return new EmbeddedStack(store, temporal, connection, workers);
    } catch (RuntimeException e) {
      if (connection != null) {
        connection.close();
      }
      if (temporal != null) {
        temporal.close();
      }
      store.close();
      throw e;
    }
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  public MetricsStore store() {
    return store;
  }

  public TemporalConnection connection() {
    return connection;
  }

  @Override
  public void close() {
    workers.close();
    connection.close();
    temporal.close();
    store.close();
  }
}
