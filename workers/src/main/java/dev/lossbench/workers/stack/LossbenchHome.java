package dev.lossbench.workers.stack;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.StoreChoice;
import dev.lossbench.schema.StoreOutage;
import dev.lossbench.schema.embedded.DataDirectoryInUseException;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.embedded.PostgresHome;
import dev.lossbench.schema.failure.MetricsStoreException;
import dev.lossbench.schema.failure.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Where lossbench keeps its state on this machine: {@code ~/.lossbench} unless {@code --home} or
 * {@code LOSSBENCH_HOME} says otherwise; the embedded PostgreSQL's data under {@code postgres/},
 * prepared datasets and checkpoints under {@code artifacts/} (or {@code --artifacts}).
 *
 * <p>The one place that decides where the embedded database lives ({@link #postgres()}); every command that opens
 * the metrics store goes through {@link #database()} or {@link #readingStore()}.
 *
 * <p>Two lossbench processes on one home take turns: while another holds its embedded PostgreSQL only briefly (a
 * {@code status} on an idle home, a {@code run} whose PostgreSQL is shutting down), a command waits for it up to
 * {@link #HOME_WAIT} instead of refusing at once.
 */
public record LossbenchHome(Path root) {
  public static final String HOME_VARIABLE = "LOSSBENCH_HOME";
  /** The longest a command waits for another lossbench to let go of this home's PostgreSQL. */
  public static final Duration HOME_WAIT = Duration.ofSeconds(20);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

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

  /**
   * Where the commands write what is not for the terminal: library warnings and the stack traces of failed
   * activities and internal errors.
   */
  public Path logFile() {
    return root.resolve("logs").resolve("lossbench.log");
  }

  /**
   * For commands that only read the store ({@code status}, {@code leaderboard}, {@code report}): while another
   * lossbench (a {@code run} in another terminal, or {@code lossbench server}) serves this home's embedded
   * PostgreSQL, that server — found by the port recorded under {@code postgres/} and checked to be this home's by
   * its data directory — else the same as {@link #database()}. The server's superuser logs in with the password recorded under the home
   * from this machine; closing the returned database leaves that server running.
   */
  public Database readingDatabase() {
    if (StoreChoice.fromEnvironment().external()) {
      return openDatabase();
    }
    return runningEmbedded().orElseGet(() -> {
      // a reader never creates a store: an empty new one would answer "no benchmarks yet" for a forgotten URL
      if (!Files.exists(postgres().resolve("data").resolve("PG_VERSION"))) {
        throw new InvalidInputException("no store under " + root + ": set " + Database.URL_VARIABLE + " or --home");
      }
      return openDatabase();
    });
  }

  /**
   * Opens the store of {@link #readingDatabase()}, applies {@code reading} to it and closes it. When a lossbench
   * on this home is just ending (its PostgreSQL shutting down under the migration or the reads, its data directory
   * not yet released), waits for it, up to {@link #HOME_WAIT}, and reads again from the start; past that the last
   * error stands. {@code reading} may therefore run more than once: it should collect, not print.
   */
  public <T> T read(Function<MetricsStore, T> reading) {
    return waitingFor(() -> {
      try (MetricsStore store = MetricsStore.open(readingDatabase())) {
        return reading.apply(store);
      }
    }, e -> e instanceof DataDirectoryInUseException || StoreOutage.isOutage(e));
  }

  /**
   * Which store a command uses, for banners and the read commands' line: the external PostgreSQL's URL (masked) when
   * {@code LOSSBENCH_DB_URL} is set, else the embedded one's directory.
   */
  public String storeLabel() {
    return storeLabel(StoreChoice.fromEnvironment().url());
  }

  /** {@link #storeLabel()} for {@code url}, the value of {@code LOSSBENCH_DB_URL} (null: unset). */
  public String storeLabel(String url) {
    if (url != null && !url.isBlank()) {
      return "PostgreSQL at " + Secrets.mask(url.trim(), Secrets.credentialsIn(url).toArray(String[]::new));
    }
    return "PostgreSQL under " + postgres();
  }

  /** The embedded PostgreSQL another process runs on this home, if any. */
  public Optional<Database> runningEmbedded() {
    Path home = postgres();
    Path data = home.resolve("data");
    OptionalInt port = new PostgresHome(home).recordedPort();
    // a server that stopped cleanly removes its pid file: nothing to try then
    if (port.isEmpty() || !Files.exists(data.resolve("postmaster.pid"))) {
      return Optional.empty();
    }
    Database db;
    try {
      db = Database.external("jdbc:postgresql://localhost:" + port.getAsInt() + "/" + EmbeddedPostgresServer.DATABASE,
          EmbeddedPostgresServer.SUPERUSER, new PostgresHome(home).recordedPassword().orElse(null));
    } catch (MetricsStoreException e) {
      return Optional.empty();
    }
    // the recorded port may belong to another PostgreSQL by now: it must serve this home's data directory
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW data_directory")) {
      if (rs.next() && Files.isSameFile(Path.of(rs.getString(1)), data)) {
        return Optional.of(db);
      }
    } catch (SQLException | IOException | RuntimeException e) {
      // not ours, or gone meanwhile
    }
    db.close();
    return Optional.empty();
  }

  /**
   * {@code LOSSBENCH_DB_URL} when set (an external PostgreSQL), else the embedded one in {@link #postgres()}; while
   * another lossbench holds that, waits up to {@link #HOME_WAIT} for it (a reading command holds it a few seconds).
   */
  public Database database() {
    return waitingFor(this::openDatabase, e -> e instanceof DataDirectoryInUseException);
  }

  private Database openDatabase() {
    return Database.fromEnvironment(postgres());
  }

  private static <T> T waitingFor(Supplier<T> open, Predicate<RuntimeException> brief) {
    long deadline = System.nanoTime() + HOME_WAIT.toNanos();
    while (true) {
      try {
        return open.get();
      } catch (RuntimeException e) {
        if (!brief.test(e) || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(RETRY_PAUSE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MetricsStoreException("interrupted while waiting for the metrics store");
      }
    }
  }
}
