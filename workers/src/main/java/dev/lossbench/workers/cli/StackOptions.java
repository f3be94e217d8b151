package dev.lossbench.workers.cli;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.schema.Database;
import dev.lossbench.schema.StoreChoice;
import dev.lossbench.workers.stack.LossbenchHome;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where lossbench's state is and which Temporal to use: shared by the commands that need them. */
final class StackOptions {
  @Option(names = "--home", paramLabel = "DIR", description = "lossbench's state (embedded PostgreSQL, artifacts); default $LOSSBENCH_HOME or ~/.lossbench")
  Path home;

  @Option(names = "--artifacts", paramLabel = "DIR", description = "prepared datasets and checkpoints, shared by all workers; default HOME/artifacts")
  Path artifacts;

  @Option(names = "--temporal", paramLabel = "HOST:PORT", description = "a Temporal frontend to use instead of the in-process server (then set LOSSBENCH_DB_URL too)")
  String temporal;

  @Option(names = "--namespace", defaultValue = "default", paramLabel = "NS", description = "Temporal namespace (default: ${DEFAULT-VALUE})")
  String namespace;

  LossbenchHome lossbenchHome() {
    return LossbenchHome.resolve(home);
  }

  /**
   * A process that joins a cluster ({@code --temporal}) must use the cluster's store: with a private embedded one it
   * would register or train benchmarks the other processes never see. {@code run} and {@code worker} share this line.
   */
  void requireClusterStore() {
    StoreChoice store = StoreChoice.fromEnvironment();
    if (temporal != null && !store.external()) {
      throw new InvalidInputException(
          "--temporal " + temporal + " needs the cluster's PostgreSQL: set " + Database.URL_VARIABLE
              + " (and " + Database.USER_VARIABLE + ", " + Database.PASSWORD_VARIABLE + ")"
              + (store.urlSetButBlank() ? "; it is set but empty" : ""));
    }
  }

  Path artifactsDir() {
    return artifacts != null ? artifacts.toAbsolutePath() : lossbenchHome().artifacts();
  }
}
