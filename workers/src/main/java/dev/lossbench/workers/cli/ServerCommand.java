package dev.lossbench.workers.cli;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.StoreChoice;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.embedded.PostgresHome;
import dev.lossbench.workers.stack.LossbenchHome;
import dev.lossbench.workers.stack.TemporalConnection;
import dev.lossbench.workers.stack.TemporalServer;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.TaskQueues;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lossbench server}: Temporal's in-process server on a port, the workflow worker, and the store (the embedded
 * PostgreSQL, or the external one {@code LOSSBENCH_DB_URL} names), for several local workers.
 */
@Command(name = "server", mixinStandardHelpOptions = true, description = {
    "Starts Temporal's in-process server on 127.0.0.1 (see --listen) with the workflow worker (queue"
        + " lossbench-workflows) in this process, and the metrics store: the embedded PostgreSQL (data under --home,"
        + " localhost only) or, when LOSSBENCH_DB_URL is set, that external PostgreSQL (then no embedded one is started"
        + " and the connection lines print no credentials). It prints how to connect 'lossbench worker' processes"
        + " (queues gpu,cpu) and 'lossbench run --temporal'. Temporal's in-process server keeps workflows in memory:"
        + " they end with this process (resume them afterwards with 'lossbench resume'). Stops on SIGTERM/SIGINT.",
    "Exit codes: 0 stopped, 2 bad options, a port in use or a store that cannot be reached.",
    ""})
final class ServerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--temporal-port", defaultValue = "7233", description = "Temporal gRPC port (default: ${DEFAULT-VALUE})")
  int temporalPort;

  @Option(names = "--listen", defaultValue = TemporalServer.LOOPBACK, paramLabel = "ADDR", description = "the address Temporal listens on (default: ${DEFAULT-VALUE}). Another address (0.0.0.0: every interface)"
      + " exposes an unauthenticated Temporal: anyone who reaches it can start, query and terminate benchmarks and"
      + " register a worker, which receives activities run with the store's credentials. Use it only on a trusted"
      + " network, or put an authenticating proxy in front.")
  String listen;

  @Option(names = "--db-port", defaultValue = "5433", description = "embedded PostgreSQL port (default: ${DEFAULT-VALUE})")
  int dbPort;

  @Option(names = "--home", paramLabel = "DIR", description = "lossbench's state; default $LOSSBENCH_HOME or ~/.lossbench")
  Path home;

  @Override
  public Integer call() throws InterruptedException {
    LossbenchHome h = LossbenchHome.resolve(home);
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stop = new CountDownLatch(1);
    boolean external = StoreChoice.fromEnvironment().external();
    Database database = external ? h.database() : Database.embedded(h.postgres(), dbPort);
    String identity = "server@" + ManagementFactory.getRuntimeMXBean().getName();
    try (MetricsStore store = MetricsStore.open(database);
        TemporalServer temporal = TemporalServer.start(listen, temporalPort);
        TemporalConnection connection = TemporalConnection.connect(temporal.target(),
            TemporalConnection.DEFAULT_NAMESPACE, identity);
        // workflow tasks live here: they cannot outlive this process's in-memory Temporal anyway, so no worker's
        // death can strand them
        WorkerHost workflows = WorkerHost.start(connection.client(), Set.of(TaskQueues.WORKFLOWS), store, h.artifacts(),
            identity)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      out.println(
          "lossbench server: store " + h.storeLabel() + ", Temporal at " + temporal.host() + ":" + temporal.port()
              + " (workflow worker in this process)");
      if (!temporal.isLoopback()) {
        out.println("WARNING: Temporal listens on " + temporal.host() + ":" + temporal.port()
            + " without authentication:"
            + " anyone who reaches it can start, query and terminate benchmarks and receive activities with the store's credentials");
      }
      out.println("Connect workers and runs from this machine with:");
      if (external) {
        out.println("  (the same " + Database.URL_VARIABLE + ", " + Database.USER_VARIABLE + " and "
            + Database.PASSWORD_VARIABLE
            + " as this server)");
      } else {
        String jdbc = "jdbc:postgresql://localhost:" + dbPort + "/" + EmbeddedPostgresServer.DATABASE;
        out.println("  export " + Database.URL_VARIABLE + "=" + jdbc + " " + Database.USER_VARIABLE + "="
            + EmbeddedPostgresServer.SUPERUSER
            + " " + Database.PASSWORD_VARIABLE + "=\"$(cat " + new PostgresHome(h.postgres()).passwordFile() + ")\"");
      }
      out.println("  ./lossbench worker --temporal " + temporal.target() + " --artifacts " + h.artifacts()
          + "    # queues gpu,cpu; one per GPU or core set");
      out.println("  ./lossbench run matrices/quick.yaml --temporal " + temporal.target());
      out.flush();
      stop.await();
    }
    return LossbenchCommand.EXIT_OK;
  }
}
