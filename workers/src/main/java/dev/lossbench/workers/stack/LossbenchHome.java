package dev.lossbench.workers.stack;

import dev.lossbench.schema.Database;
import java.nio.file.Path;

/**
 * Where lossbench keeps its state on this machine: {@code ~/.lossbench} unless {@code --home} or
 * {@code LOSSBENCH_HOME} says otherwise; the embedded PostgreSQL's data under {@code postgres/},
 * prepared datasets and checkpoints under {@code artifacts/} (or {@code --artifacts}).
 *
 * <p>The one place that decides where the embedded database lives ({@link #postgres()}); every command that opens
 * the metrics store goes through {@link #database()}.
 */
public record LossbenchHome(Path root) {
  public static final String HOME_VARIABLE = "LOSSBENCH_HOME";

  public static LossbenchHome resolve(Path option) {
    if (option != null) {
      return new LossbenchHome(option.toAbsolutePath());
    }
    String env = System.getenv(HOME_VARIABLE);
    if (env != null && !env.isBlank()) {
      return new LossbenchHome(Path.of(env).toAbsolutePath());
    }
    return new LossbenchHome(Path.of(System.getProperty("user.home"), ".lossbench"));
  }

  /** The embedded PostgreSQL's directory: {@code <home>/postgres}. */
  public Path postgres() {
    return root.resolve("postgres");
  }

  public Path artifacts() {
    return root.resolve("artifacts");
  }

  /** {@code LOSSBENCH_DB_URL} when set (an external PostgreSQL), else the embedded one in {@link #postgres()}. */
  public Database database() {
    return Database.fromEnvironment(postgres());
  }
}
