package dev.lossbench.schema;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;

import dev.lossbench.schema.failure.DatabaseConfigurationException;
import dev.lossbench.schema.failure.DatabaseConnectionException;
import dev.lossbench.schema.failure.Secrets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where lossbench's figures live: opens the store {@link StoreChoice} says (the one place that reads the environment's
 * choice).
 *
 * <ul>
 *   <li>{@code LOSSBENCH_DB_URL} set: an external PostgreSQL at that JDBC URL, logging in as
 *       {@code LOSSBENCH_DB_USER} with {@code LOSSBENCH_DB_PASSWORD}.</li>
 *   <li>otherwise: the embedded PostgreSQL, its files in the directory the caller passes, so that leaderboards
 *       and resume survive restarts. lossbench's commands pass {@code <home>/postgres}, where the home is
 *       {@code ~/.lossbench}, {@code --home} or {@code LOSSBENCH_HOME} ({@code LossbenchHome} in the workers
 *       module decides both); this module never picks a directory of its own.</li>
 * </ul>
 *
 * <p>Once opened, the password is kept only inside the data source: {@link #description()}, logs and exception messages never
 * contain it.
 *
 * <p>Connections come from a pool (HikariCP) of at most {@code LOSSBENCH_DB_POOL_SIZE} connections (default
 * {@value #DEFAULT_POOL_SIZE}), opened as needed: one stays open, the others close after ten idle minutes, so that a
 * worker logs in a few times per benchmark rather than once per statement. The pool is handed the driver's data source, never a URL
 * or password of its own, so nothing it logs or throws carries a credential; {@link #close()} closes it.
 */
public final class Database implements AutoCloseable {
  public static final String URL_VARIABLE = "LOSSBENCH_DB_URL";
  public static final String USER_VARIABLE = "LOSSBENCH_DB_USER";
  public static final String PASSWORD_VARIABLE = "LOSSBENCH_DB_PASSWORD";
  public static final String POOL_SIZE_VARIABLE = "LOSSBENCH_DB_POOL_SIZE";
  /** Connections per process: a worker's training and store activities, or a command's reads, rarely need more. */
  public static final int DEFAULT_POOL_SIZE = 4;
  private static final int MAX_POOL_SIZE = 100;

  private static final int CONNECT_TIMEOUT_SECONDS = 10;
  /**
   * A user part ({@code user@} or {@code user:secret@}) after the scheme of a PostgreSQL URL: any {@code @} before the
   * query, since a password may hold an unescaped {@code /} ({@code u:Se/cret@host}) that would end the authority.
   */
  private static final Pattern URI_USER_INFO = Pattern.compile("^(?:jdbc:)?postgres(?:ql)?://[^?]*@");

  private final HikariDataSource dataSource;
  private final String description;
  private final EmbeddedPostgresServer server;

  private Database(DataSource driver, String description, EmbeddedPostgresServer server) {
    try {
      this.dataSource = pool(driver, poolSize(System.getenv()));
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      throw e;
    }
    this.description = description;
    this.server = server;
  }

  /*
   * Few idle connections (one kept), each retired after ten idle minutes or half an hour in all; a borrower waits
   * at most CONNECT_TIMEOUT_SECONDS for one. No connection is made here: a server that is down fails the first
   * statement, not the construction.
   */
  private static HikariDataSource pool(DataSource driver, int size) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(driver);
    config.setPoolName("lossbench-store");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS * 1000L);
    config.setValidationTimeout(5_000);
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  /** The pool size {@code environment} asks for ({@value #POOL_SIZE_VARIABLE}), or the default. */
  static int poolSize(Map<String, String> environment) {
    String value = value(environment, POOL_SIZE_VARIABLE);
    if (value == null) {
      return DEFAULT_POOL_SIZE;
    }
    try {
      int size = Integer.parseInt(value.trim());
      if (size >= 1 && size <= MAX_POOL_SIZE) {
        return size;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new DatabaseConfigurationException(POOL_SIZE_VARIABLE + " must be a whole number of connections in 1.."
        + MAX_POOL_SIZE + ", got: " + value);
  }

  /**
   * Opens what this process's environment variables choose ({@link StoreChoice#fromEnvironment()}): the external
   * PostgreSQL {@code LOSSBENCH_DB_URL} names, else the embedded one with its files in {@code embeddedDirectory}.
   */
  public static Database fromEnvironment(Path embeddedDirectory) {
    return StoreChoice.fromEnvironment().open(embeddedDirectory);
  }

  /** Opens what {@code environment} chooses (variables set to an empty string count as unset). */
  public static Database fromEnvironment(Map<String, String> environment, Path embeddedDirectory) {
    return StoreChoice.fromEnvironment(environment).open(embeddedDirectory);
  }

  /**
   * An external PostgreSQL. Connects once straight away, so that a wrong URL or password fails here, with a
   * message naming the URL and the user.
   *
   * @param url {@code jdbc:postgresql://host:port/database}; {@code postgresql://host:port/database} is accepted
   *     too; neither may carry a user part ({@code user:password@})
   * @param user the role to log in as; {@code null} for the driver's default
   * @param password {@code null} when the server needs none (or it comes from {@code ~/.pgpass})
   * @throws DatabaseConfigurationException when the URL is not a PostgreSQL URL, or carries a user part
   * @throws DatabaseConnectionException when the server cannot be reached or refuses the login
   */
  public static Database external(String url, String user, String password) {
    String jdbcUrl = jdbcUrl(url);
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    try {
      dataSource.setURL(jdbcUrl);
    } catch (RuntimeException e) {
      // the driver's own message repeats the URL, which may hold a password parameter: no cause attached
      throw new DatabaseConfigurationException(URL_VARIABLE + " is not a valid PostgreSQL JDBC URL: "
          + Secrets.mask(jdbcUrl, password));
    }
    if (user != null) {
      dataSource.setUser(user);
    }
    if (password != null) {
      dataSource.setPassword(password);
    }
    dataSource.setApplicationName("lossbench");
    dataSource.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
    dataSource.setLoginTimeout(CONNECT_TIMEOUT_SECONDS);
    dataSource.setTcpKeepAlive(true);
    String who = user != null ? user : "(the driver's default user)";
    List<String> secrets = new ArrayList<>(Secrets.credentialsIn(jdbcUrl));
    if (password != null && !password.isEmpty()) {
      secrets.add(password);
    }
    String[] known = secrets.toArray(String[]::new);
    String description = "PostgreSQL at " + Secrets.mask(jdbcUrl, known) + " as user " + who;
    verifyConnection(dataSource, description, known);
    return new Database(dataSource, description, null);
  }

  /** The embedded PostgreSQL with its files under {@code home}, on the port recorded there or a free one. */
  public static Database embedded(Path home) {
    return embedded(EmbeddedPostgresServer.start(home));
  }

  /** The embedded PostgreSQL with its files under {@code home}, listening on exactly {@code port}. */
  public static Database embedded(Path home, int port) {
    return embedded(EmbeddedPostgresServer.start(home, port));
  }

  /** A database on an embedded server that is already running; closing the database stops the server. */
  public static Database embedded(EmbeddedPostgresServer server) {
    Objects.requireNonNull(server, "server");
    String where = server.home().map(h -> " with data in " + h).orElse(" (temporary)");
    String description = "embedded PostgreSQL on localhost:" + server.port() + where;
    return new Database(server.dataSource(), description, server);
  }

  /** The pooled data source: closing a connection taken from it returns it to the pool. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Where the database is, for logs and messages; never contains the password. */
  public String description() {
    return description;
  }

  /** The embedded server, when lossbench runs one (for example to report its port). */
  public Optional<EmbeddedPostgresServer> embeddedServer() {
    return Optional.ofNullable(server);
  }

  /** Closes the pool's connections, then stops the embedded server, if any; an external database is left as it is. */
  @Override
  public void close() {
    try {
      dataSource.close();
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  @Override
  public String toString() {
    return description;
  }

  private static void verifyConnection(DataSource dataSource, String description, String[] secrets) {
    try (Connection connection = dataSource.getConnection()) {
      if (!connection.isValid(CONNECT_TIMEOUT_SECONDS)) {
        throw new DatabaseConnectionException("cannot connect to " + description
            + ": the connection did not answer within " + CONNECT_TIMEOUT_SECONDS + " s");
      }
    } catch (SQLException e) {
      String reason = (e.getMessage() == null ? "unknown error" : Secrets.mask(e.getMessage(), secrets))
          + hint(e.getSQLState());
      String message = "cannot connect to " + description + ": " + reason;
      // keep the driver's exception for its stack trace, unless its text somehow carries a credential
      throw carriesCredential(e, secrets)
          ? new DatabaseConnectionException(message)
          : new DatabaseConnectionException(message, e);
    }
  }

  private static String hint(String sqlState) {
    if (sqlState == null) {
      return "";
    }
    return switch (sqlState) {
      case "28P01", "28000" -> " (check " + USER_VARIABLE + " and " + PASSWORD_VARIABLE + ")";
      case "3D000" -> " (create the database first, or fix the database name in " + URL_VARIABLE + ")";
      case "08001", "08004", "08006" -> " (is the server running, and reachable from here?)";
      default -> "";
    };
  }

  private static boolean carriesCredential(Throwable e, String[] secrets) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String text = t.getMessage();
      if (text != null && !Secrets.mask(text, secrets).equals(text)) {
        return true;
      }
    }
    return false;
  }

  static String jdbcUrl(String url) {
    String trimmed = url.trim();
    // the driver takes no user part: it would read user:secret@host as a host name, and echo it in every error
    if (URI_USER_INFO.matcher(trimmed).find()) {
      throw new DatabaseConfigurationException(URL_VARIABLE + " must not carry a user or password ("
          + Secrets.mask(trimmed) + "); set " + USER_VARIABLE + " and " + PASSWORD_VARIABLE + " instead");
    }
    if (trimmed.startsWith("jdbc:postgresql:")) {
      return trimmed;
    }
    if (trimmed.startsWith("postgresql://")) {
      return "jdbc:" + trimmed;
    }
    if (trimmed.startsWith("postgres://")) {
      return "jdbc:postgresql://" + trimmed.substring("postgres://".length());
    }
    throw new DatabaseConfigurationException(URL_VARIABLE + " must be a PostgreSQL JDBC URL such as "
        + "jdbc:postgresql://db.example.org:5432/lossbench, got: " + Secrets.mask(trimmed));
  }

  private static String value(Map<String, String> environment, String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
