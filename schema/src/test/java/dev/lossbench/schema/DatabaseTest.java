package dev.lossbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.failure.DatabaseConfigurationException;
import dev.lossbench.schema.failure.DatabaseConnectionException;
import dev.lossbench.schema.failure.Secrets;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The external-PostgreSQL path of {@link Database}, against the test server with a password-protected role. */
@ExtendWith(MetricsStoreExtension.class)
class DatabaseTest {
  private static final String USER = "lossbench_app";
  private static final String PASSWORD = "right-Horse-battery-42";
  private static final String WRONG_PASSWORD = "wrong-Staple-17";

  private final TestDatabase db;

  DatabaseTest(TestDatabase db) {
    this.db = db;
  }

  @BeforeEach
  void createLoginRole() {
    db.execute("postgres", "DROP ROLE IF EXISTS " + USER,
        "CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
  }

  @AfterEach
  void dropLoginRole() {
    db.execute("postgres", "DROP ROLE IF EXISTS " + USER);
  }

  @Test
  void aWrongPasswordIsAClearErrorThatDoesNotShowThePassword() {
    String url = db.jdbcUrl(TestDatabase.DATABASE);

    DatabaseConnectionException refused = assertThrows(DatabaseConnectionException.class,
        () -> Database.external(url, USER, WRONG_PASSWORD));

    assertEquals("cannot connect to PostgreSQL at " + url + " as user " + USER
        + ": FATAL: password authentication failed for user \"" + USER + "\""
        + " (check LOSSBENCH_DB_USER and LOSSBENCH_DB_PASSWORD)", refused.getMessage());
    assertFalse(stackTrace(refused).contains(WRONG_PASSWORD), "the password appears nowhere in the trace");
  }

  @Test
  void aPasswordInTheUrlIsRedactedToo() {
    String url = db.jdbcUrl(TestDatabase.DATABASE) + "?password=" + WRONG_PASSWORD + "&ssl=false";

    DatabaseConnectionException refused = assertThrows(DatabaseConnectionException.class,
        () -> Database.external(url, USER, null));

    assertTrue(refused.getMessage().contains("?password=****&ssl=false as user " + USER), refused.getMessage());
    assertFalse(stackTrace(refused).contains(WRONG_PASSWORD));
  }

  @Test
  void theEnvironmentChoosesTheExternalDatabaseAndTheRightPasswordWorks() {
    Map<String, String> environment = Map.of(
        Database.URL_VARIABLE, db.jdbcUrl(TestDatabase.DATABASE),
        Database.USER_VARIABLE, USER,
        Database.PASSWORD_VARIABLE, PASSWORD);

    try (Database database = Database.fromEnvironment(environment, Path.of("/nonexistent/ignored-when-a-url-is-set"))) {
      assertTrue(database.embeddedServer().isEmpty());
      assertEquals("PostgreSQL at " + db.jdbcUrl(TestDatabase.DATABASE) + " as user " + USER, database.description());
      assertFalse(database.toString().contains(PASSWORD));
    }
  }

  @Test
  void openingAStoreLogsNoPassword() {
    String database = db.createDatabase("owned");
    db.execute("postgres", "ALTER DATABASE " + database + " OWNER TO " + USER);
    db.execute(database, "ALTER SCHEMA public OWNER TO " + USER);
    String url = db.jdbcUrl(database);

    String log;
    try {
      log = capturingStandardError(() -> {
        MetricsStore.open(Database.external(url, USER, PASSWORD)).close();
        MetricsStore.open(Database.external(url + "?password=" + PASSWORD, USER, null)).close();
        MetricsStore.open(Database.external(url + "?sslpassword=" + PASSWORD, USER, PASSWORD)).close();
      });
    } finally {
      db.execute("postgres", "DROP DATABASE " + database + " WITH (FORCE)");
    }

    assertTrue(log.contains("metrics store: PostgreSQL at " + url + " as user " + USER), log);
    assertTrue(log.contains("Database: jdbc:postgresql://"), "Flyway's own connection line is checked too: " + log);
    assertTrue(log.contains("?password=****"), log);
    assertTrue(log.contains("?sslpassword=****"), "Flyway sees the URL masked: " + log);
    assertFalse(log.contains(PASSWORD), log);
  }

  private static String capturingStandardError(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }

  @Test
  void aServerThatIsNotThereIsAClearError() throws Exception {
    int unusedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      unusedPort = socket.getLocalPort();
    }
    String url = "jdbc:postgresql://localhost:" + unusedPort + "/lossbench";

    DatabaseConnectionException refused = assertThrows(DatabaseConnectionException.class,
        () -> Database.external(url, USER, PASSWORD));

    assertTrue(refused.getMessage().startsWith("cannot connect to PostgreSQL at " + url + " as user " + USER + ": "),
        refused.getMessage());
    assertTrue(refused.getMessage().endsWith("(is the server running, and reachable from here?)"),
        refused.getMessage());
  }

  @Test
  void aMissingDatabaseIsNamed() {
    String url = db.jdbcUrl("no_such_database");

    DatabaseConnectionException refused = assertThrows(DatabaseConnectionException.class,
        () -> Database.external(url, db.superuser(), db.superuserPassword()));

    assertTrue(refused.getMessage().contains("database \"no_such_database\" does not exist"), refused.getMessage());
  }

  @Test
  void urlsThatAreNotPostgresqlAreRefusedByName() {
    DatabaseConfigurationException mysql = assertThrows(DatabaseConfigurationException.class,
        () -> Database.external("mysql://db/lossbench", USER, PASSWORD));
    assertEquals(
        "LOSSBENCH_DB_URL must be a PostgreSQL JDBC URL such as jdbc:postgresql://db.example.org:5432/lossbench,"
            + " got: mysql://db/lossbench",
        mysql.getMessage());

    DatabaseConfigurationException withUserInfo = assertThrows(DatabaseConfigurationException.class,
        () -> Database.external("postgresql://bench:" + WRONG_PASSWORD + "@db:5432/lossbench", null, null));
    assertEquals("LOSSBENCH_DB_URL must not carry a user or password (postgresql://bench:****@db:5432/lossbench);"
        + " set LOSSBENCH_DB_USER and LOSSBENCH_DB_PASSWORD instead", withUserInfo.getMessage());
  }

  @Test
  void aJdbcUrlWithAUserPartIsRefusedByNameAndMasked() {
    for (String url : List.of("jdbc:postgresql://bench:" + WRONG_PASSWORD + "@localhost:5432/lossbench",
        "jdbc:postgresql://bench@localhost:5432/lossbench",
        // unescaped characters a password may hold: the driver would read part of it as the host and log it
        "jdbc:postgresql://bench:Se/" + WRONG_PASSWORD + "@localhost:5432/lossbench",
        "postgresql://bench:p@ss " + WRONG_PASSWORD + ":x%@localhost:5432/lossbench")) {
      DatabaseConfigurationException refused = assertThrows(DatabaseConfigurationException.class,
          () -> Database.fromEnvironment(Map.of(Database.URL_VARIABLE, url), Path.of("/nonexistent")));
      assertEquals("LOSSBENCH_DB_URL must not carry a user or password (" + Secrets.mask(url) + ");"
          + " set LOSSBENCH_DB_USER and LOSSBENCH_DB_PASSWORD instead", refused.getMessage());
      assertFalse(stackTrace(refused).contains(WRONG_PASSWORD));
      assertFalse(refused.getMessage().contains("Se/") || refused.getMessage().contains("p@ss"), refused.getMessage());
    }
  }

  @Test
  void anSslPasswordInTheUrlIsMaskedInTheErrorAndItsTrace() {
    String url = db.jdbcUrl(TestDatabase.DATABASE) + "?sslpassword=" + WRONG_PASSWORD + "&ssl=false";

    DatabaseConnectionException refused = assertThrows(DatabaseConnectionException.class,
        () -> Database.external(url, USER, PASSWORD + "-not"));

    assertTrue(refused.getMessage().contains("?sslpassword=****&ssl=false as user " + USER), refused.getMessage());
    assertFalse(stackTrace(refused).contains(WRONG_PASSWORD), stackTrace(refused));
    assertFalse(stackTrace(refused).contains(PASSWORD + "-not"), stackTrace(refused));
  }

  @Test
  void libpqStyleUrlsAreAccepted() {
    assertEquals("jdbc:postgresql://db:5432/lossbench", Database.jdbcUrl("postgresql://db:5432/lossbench"));
    assertEquals("jdbc:postgresql://db/lossbench?sslmode=require",
        Database.jdbcUrl("postgres://db/lossbench?sslmode=require"));
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
