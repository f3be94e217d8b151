package dev.lossbench.schema.testing;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One PostgreSQL server for a test JVM, with the lossbench schema migrated once into database
 * {@value #DATABASE}. Embedded by default; {@code LOSSBENCH_TEST_DB=testcontainers} runs it in Docker instead.
 *
 * <p>Tests get it (and its {@link #store()}) through {@link MetricsStoreExtension}. Tests that need a database of
 * their own (migrating from empty, say) make one with {@link #createDatabase(String)}.
 */
public final class TestDatabase implements AutoCloseable {
  public static final String MODE_VARIABLE = "LOSSBENCH_TEST_DB";
  public static final String EMBEDDED = "embedded";
  public static final String TESTCONTAINERS = "testcontainers";
  /** The database the shared, migrated store lives in. */
  public static final String DATABASE = "lossbench_test";

  private static final AtomicInteger databaseCounter = new AtomicInteger();

  private final PostgresServer server;
  private final MetricsStore store;

  private TestDatabase(PostgresServer server) {
    this.server = server;
    createDatabaseNamed(DATABASE);
    this.store = MetricsStore
        .open(Database.external(jdbcUrl(DATABASE), server.superuser(), server.superuserPassword()));
  }

  /** Starts the server {@code LOSSBENCH_TEST_DB} asks for (embedded when unset) and migrates the schema. */
  public static TestDatabase start() {
    String mode = System.getenv(MODE_VARIABLE);
    return start(mode == null || mode.isBlank() ? EMBEDDED : mode.trim().toLowerCase(Locale.ROOT));
  }

  static TestDatabase start(String mode) {
    return switch (mode) {
      case EMBEDDED -> new TestDatabase(EmbeddedTestServer.start());
      case TESTCONTAINERS -> new TestDatabase(startContainer());
      default -> throw new IllegalArgumentException(MODE_VARIABLE + " must be " + EMBEDDED + " (the default) or "
          + TESTCONTAINERS + ", got '" + mode + "'");
    };
  }

  private static PostgresServer startContainer() {
    try {
      Class.forName("org.testcontainers.containers.PostgreSQLContainer");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(MODE_VARIABLE + "=" + TESTCONTAINERS + " needs the test dependency"
          + " org.testcontainers:postgresql on this module's test classpath", e);
    }
    return ContainerTestServer.start();
  }

  /** The migrated store on {@value #DATABASE}; shared by all tests, do not close it. */
  public MetricsStore store() {
    return store;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + database;
  }

  public String superuser() {
    return server.superuser();
  }

  public String superuserPassword() {
    return server.superuserPassword();
  }

  public String description() {
    return server.description();
  }

  /** {@code database} as the superuser. */
  public DataSource dataSource(String database) {
    return dataSource(database, server.superuser(), server.superuserPassword());
  }

  public DataSource dataSource(String database, String user, String password) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(jdbcUrl(database));
    dataSource.setUser(user);
    if (password != null) {
      dataSource.setPassword(password);
    }
    return dataSource;
  }

  /** Creates a new, empty database named {@code prefix} plus a number, and returns its name. */
  public String createDatabase(String prefix) {
    String name = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_"
        + databaseCounter.incrementAndGet();
    createDatabaseNamed(name);
    return name;
  }

  private void createDatabaseNamed(String name) {
    execute("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "CREATE DATABASE " + name);
  }

  /** Runs statements on {@code database} as the superuser. */
  public void execute(String database, String... statements) {
    try (Connection connection = dataSource(database).getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("on " + description() + ", database " + database + ": " + e.getMessage(), e);
    }
  }

  /**
   * Empties every table of the shared database (except Flyway's history), so that each test starts from a
   * migrated, empty schema. TRUNCATE is not DELETE: the append-only trigger on run_event does not fire.
   */
  public void truncateAllTables() {
    List<String> tables = new ArrayList<>();
    try (Connection connection = dataSource(DATABASE).getConnection();
        Statement statement = connection.createStatement()) {
      try (ResultSet rs = statement.executeQuery("""
          SELECT quote_ident(tablename) FROM pg_tables
           WHERE schemaname = current_schema() AND tablename <> 'flyway_schema_history'""")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      if (!tables.isEmpty()) {
        statement.execute("TRUNCATE TABLE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the tables of " + DATABASE + " on " + description() + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      store.close();
    } finally {
      server.close();
    }
  }
}
