package dev.lossbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lossbench.schema.embedded.EmbeddedPostgresException;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.embedded.PostgresHome;
import dev.lossbench.schema.record.BenchmarkDefinition;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** The persistent embedded server lossbench runs when no LOSSBENCH_DB_URL is set. Each test starts its own. */
class EmbeddedPostgresServerTest {
  @TempDir
  Path home;

  @Test
  void figuresSurviveARestartOnTheSamePort() throws SQLException {
    int port;
    // no LOSSBENCH_DB_URL: the embedded server, with its files exactly where the caller says
    try (MetricsStore store = MetricsStore.open(Database.fromEnvironment(Map.of(), home))) {
      port = store.database().embeddedServer().orElseThrow().port();
      store.benchmarks().register(new BenchmarkDefinition("quick-1", "quick",
          JsonNodeFactory.instance.objectNode().put("seeds", 3), "h1", null));
    }
    assertEquals(OptionalInt.of(port), new PostgresHome(home).recordedPort());

    try (MetricsStore again = MetricsStore.open(Database.embedded(home))) {
      assertEquals(port, again.database().embeddedServer().orElseThrow().port());
      assertEquals("quick", again.benchmarks().find("quick-1").orElseThrow().name());
      assertEquals("on", setting(again, "fsync"), "durable: zonky's test default turns fsync off");
      assertEquals("on", setting(again, "synchronous_commit"));
    }
  }

  @Test
  void aDataDirectoryInUseIsRefusedClearly() {
    try (Database first = Database.embedded(home)) {
      EmbeddedPostgresException refused = assertThrows(EmbeddedPostgresException.class, () -> Database.embedded(home));
      assertEquals("the embedded PostgreSQL data directory " + home.resolve("data") + " is in use by this process;"
          + " stop the other lossbench (or `lossbench server`) first, or point lossbench at it with LOSSBENCH_DB_URL",
          refused.getMessage());
      assertTrue(first.embeddedServer().isPresent());
    }
  }

  @Test
  void theServerCommandCanChooseThePort() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    try (Database database = Database.embedded(home, port)) {
      assertEquals(port, database.embeddedServer().orElseThrow().port());
      assertEquals("embedded PostgreSQL on localhost:" + port + " with data in " + home.toAbsolutePath(),
          database.description());
    }
    assertEquals(OptionalInt.of(port), new PostgresHome(home).recordedPort());
  }

  @Test
  void aPortTakenByAnotherProgramIsRefusedForTheServerCommand() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      EmbeddedPostgresException refused = assertThrows(EmbeddedPostgresException.class,
          () -> Database.embedded(home, taken.getLocalPort()));
      assertEquals("cannot start embedded PostgreSQL on port " + taken.getLocalPort()
          + ": the port is in use by another program", refused.getMessage());
    }
  }

  @Test
  void dataFromAnotherPostgresqlMajorVersionIsRefusedClearly() throws Exception {
    Files.createDirectories(home.resolve("data"));
    Files.writeString(home.resolve("data").resolve("PG_VERSION"), "16\n");

    EmbeddedPostgresException refused = assertThrows(EmbeddedPostgresException.class, () -> Database.embedded(home));

    String major = EmbeddedPostgresServer.postgresVersion().split("\\.")[0];
    assertEquals("the embedded PostgreSQL data in " + home.resolve("data") + " was written by PostgreSQL 16, but this"
        + " lossbench runs PostgreSQL " + major + "; move its figures over with pg_dumpall (PostgreSQL 16) and"
        + " psql, or run lossbench with another home (--home or LOSSBENCH_HOME)", refused.getMessage());
  }

  @Test
  void theSuperuserNeedsThePasswordKeptUnderTheHomeForItsOwnerOnly() throws Exception {
    try (MetricsStore store = MetricsStore.open(Database.embedded(home))) {
      int port = store.database().embeddedServer().orElseThrow().port();
      Path file = home.resolve("password");
      assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(file), "mode 0600");
      assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(home.resolve("port")), "the port file: mode 0600 too");
      String password = new PostgresHome(home).recordedPassword().orElseThrow();
      assertTrue(password.length() >= 32);

      assertLoginRefused(port, null);
      assertLoginRefused(port, "wrong-" + password);
      assertLoginWorks(port, password);
      assertEquals("on", setting(store, "fsync"), "lossbench's own connections log in with it");
    }
    // the next start keeps the same password
    String first = new PostgresHome(home).recordedPassword().orElseThrow();
    try (Database again = Database.embedded(home)) {
      assertEquals(first, again.embeddedServer().orElseThrow().superuserPassword());
      assertLoginRefused(again.embeddedServer().orElseThrow().port(), null);
    }
  }

  @Test
  void aHomeMadeBeforeThePasswordGetsOneAndKeepsItsFigures() throws Exception {
    // a home as the previous release made it: initdb with a trusted superuser, no password file
    int oldPort;
    try (EmbeddedPostgres old = EmbeddedPostgres.builder()
        .setDataDirectory(home.resolve("data"))
        .setCleanDataDirectory(false)
        .setDataDirectoryCustomizer(dir -> writeOldAccessRules(dir.toPath()))
        .start()) {
      oldPort = old.getPort();
      try (Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + EmbeddedPostgresServer.DATABASE);
      }
      try (MetricsStore store = MetricsStore.open(Database.external(
          "jdbc:postgresql://localhost:" + oldPort + "/" + EmbeddedPostgresServer.DATABASE, "postgres", null))) {
        store.benchmarks().register(new BenchmarkDefinition("old-1", "old",
            JsonNodeFactory.instance.objectNode().put("seeds", 1), "h0", null));
      }
    }
    Files.writeString(home.resolve("port"), oldPort + "\n");
    assertFalse(Files.exists(home.resolve("password")));

    // another account polls the recorded port and lossbench's access rules throughout the upgrade start
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> breach = new AtomicReference<>();
    Thread attacker = new Thread(() -> {
      while (!stop.get() && breach.get() == null) {
        try {
          String rules = Files.readString(home.resolve("data").resolve("pg_hba.conf"));
          if (rules.contains("written by lossbench") && rules.lines().anyMatch(l -> l.endsWith("trust"))) {
            breach.set("lossbench wrote a trust rule:\n" + rules);
          }
        } catch (java.io.IOException e) {
          // being rewritten
        }
        try (Connection c = login(oldPort, null)) {
          breach.set("GOT SUPERUSER as postgres without a password on port " + oldPort);
        } catch (SQLException e) {
          // refused, or nothing listening yet
        }
      }
    });
    attacker.start();
    try (MetricsStore store = MetricsStore.open(Database.fromEnvironment(Map.of(), home))) {
      stop.set(true);
      attacker.join();
      assertNull(breach.get(), "the superuser was open during the password upgrade");
      assertEquals("old", store.benchmarks().find("old-1").orElseThrow().name(), "the old figures are there");
      int port = store.database().embeddedServer().orElseThrow().port();
      String password = new PostgresHome(home).recordedPassword().orElseThrow();
      assertLoginRefused(port, null);
      assertLoginWorks(port, password);
    }
    try (MetricsStore again = MetricsStore.open(Database.embedded(home))) {
      assertEquals("old", again.benchmarks().find("old-1").orElseThrow().name(), "and after a second start");
      assertLoginRefused(again.database().embeddedServer().orElseThrow().port(), null);
    }
  }

  private static void writeOldAccessRules(Path data) {
    try {
      Files.write(data.resolve("pg_hba.conf"), List.of(
          "local   all       postgres                 trust",
          "host    all       postgres  127.0.0.1/32   trust",
          "host    all       postgres  ::1/128        trust",
          "host    all       all       127.0.0.1/32   scram-sha-256"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertLoginRefused(int port, String password) {
    SQLException refused = assertThrows(SQLException.class, () -> login(port, password).close(),
        "the superuser without its password, from another account on this machine");
    assertTrue(List.of("28P01", "28000", "08004").contains(refused.getSQLState()),
        refused.getSQLState() + ": " + refused.getMessage());
  }

  private static void assertLoginWorks(int port, String password) throws SQLException {
    try (Connection c = login(port, password)) {
      assertTrue(c.isValid(5));
    }
  }

  private static Connection login(int port, String password) throws SQLException {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL("jdbc:postgresql://localhost:" + port + "/" + EmbeddedPostgresServer.DATABASE);
    ds.setUser(EmbeddedPostgresServer.SUPERUSER);
    if (password != null) {
      ds.setPassword(password);
    }
    return ds.getConnection();
  }

  private static String setting(MetricsStore store, String name) throws SQLException {
    try (Connection c = store.database().dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + name)) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }
}
