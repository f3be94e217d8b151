package dev.lossbench.workers.cli;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.workers.stack.LossbenchHome;
import dev.lossbench.workers.stack.TemporalServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import java.nio.file.Path;

/** {@code lossbench server}: the embedded PostgreSQL and Temporal server on ports, for several local workers. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = {
      "Starts the embedded PostgreSQL (data under --home) and Temporal's in-process server on local ports and prints"
          + " how to connect, so that several 'lossbench worker' processes and 'lossbench run --temporal' share them."
          + " Temporal's in-process server keeps workflows in memory: they end with this process (resume them afterwards"
          + " with 'lossbench resume'). Stops on SIGTERM/SIGINT.",
      "Exit codes: 0 stopped, 2 bad options or a port in use.",
      ""})
final class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--temporal-port", defaultValue = "7233", description = "Temporal gRPC port (default: ${DEFAULT-VALUE})")
  int temporalPort;

  @Option(names = "--db-port", defaultValue = "5433", description = "PostgreSQL port (default: ${DEFAULT-VALUE})")
  int dbPort;

  @Option(names = "--home", paramLabel = "DIR", description = "lossbench's state; default $LOSSBENCH_HOME or ~/.lossbench")
  Path home;

  @Override
  public Integer call() throws InterruptedException {
    LossbenchHome h = LossbenchHome.resolve(home);
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stop = new CountDownLatch(1);
    try (MetricsStore store = MetricsStore.open(Database.embedded(h.postgres(), dbPort));
        TemporalServer temporal = TemporalServer.start(temporalPort)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      String url = "jdbc:postgresql://localhost:" + dbPort + "/" + EmbeddedPostgresServer.DATABASE;
      out.println("lossbench server: PostgreSQL at " + url + " (data in " + h.postgres() + "), Temporal at " + temporal.target());
      out.println("Connect workers and runs from this machine with:");
      out.println("  export " + Database.URL_VARIABLE + "=" + url + " " + Database.USER_VARIABLE + "=" + EmbeddedPostgresServer.SUPERUSER
          + " " + Database.PASSWORD_VARIABLE + "=\"$(cat " + EmbeddedPostgresServer.passwordFile(h.postgres()) + ")\"");
      out.println("  ./lossbench worker --temporal " + temporal.target() + " --queues lossbench-workflows,cpu --artifacts " + h.artifacts());
      out.println("  ./lossbench worker --temporal " + temporal.target() + " --queues gpu --artifacts " + h.artifacts());
      out.println("  ./lossbench run matrices/quick.yaml --temporal " + temporal.target());
      out.flush();
      stop.await();
    }
    return LossbenchCommand.EXIT_OK;
  }
}
