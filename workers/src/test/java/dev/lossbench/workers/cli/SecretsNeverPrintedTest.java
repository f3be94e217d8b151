package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lossbench status} with the database's password in every place a person may put it. The command runs as
 * a person runs it: the real entry point ({@code LossbenchCommand.main}) in its own JVM, since the settings are
 * environment variables, with a fresh {@code --home}; all it prints (stdout, stderr with every log line) and every
 * file it leaves under the home are searched for the secret.
 */
class SecretsNeverPrintedTest {
  private static final String SECRET = "S3cret-Horse-91";
  private static int closedPort;

  @TempDir
  Path homes;

  @BeforeAll
  static void findAClosedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
  }

  @Test
  void aPasswordInAJdbcUrlsUserPartIsAOneLineConfigurationError() throws Exception {
    Status s = status("userpart", Map.of(Database.URL_VARIABLE,
        "jdbc:postgresql://u:" + SECRET + "@localhost:" + closedPort + "/db"));
    assertEquals(LossbenchCommand.EXIT_BAD_INPUT, s.exitCode, s.output());
    assertEquals(List.of("lossbench status: LOSSBENCH_DB_URL must not carry a user or password"
        + " (jdbc:postgresql://u:****@localhost:" + closedPort
        + "/db); set LOSSBENCH_DB_USER and LOSSBENCH_DB_PASSWORD instead"),
        s.stderr.lines().filter(l -> l.startsWith("lossbench")).toList(), s.output());
    s.assertNoSecret();
  }

  @Test
  void aUserPartPasswordOfAnyCharactersIsNeverPrintedInPart() throws Exception {
    // the characters that cut the old mask short: the driver logged u:Se/cretXY@… and stderr showed part of it
    for (String prefix : List.of("Se/", "p@ss@", "with space ", "co:lon:", "per%2F")) {
      Status s = status("special" + prefix.hashCode(), Map.of(Database.URL_VARIABLE,
          "jdbc:postgresql://u:" + prefix + SECRET + "@localhost:" + closedPort + "/db"));
      assertEquals(LossbenchCommand.EXIT_BAD_INPUT, s.exitCode, s.output());
      assertEquals(List.of("lossbench status: LOSSBENCH_DB_URL must not carry a user or password"
          + " (jdbc:postgresql://u:****@localhost:" + closedPort
          + "/db); set LOSSBENCH_DB_USER and LOSSBENCH_DB_PASSWORD instead"),
          s.stderr.lines().filter(l -> l.startsWith("lossbench")).toList(), s.output());
      s.assertNoSecret();
      assertFalse(s.stderr.contains(prefix.strip()), s.output());
    }
  }

  @Test
  void aPasswordOrSslPasswordParameterIsNeverPrinted() throws Exception {
    for (String parameter : List.of("password", "sslpassword", "PASSWORD")) {
      Status s = status(parameter, Map.of(Database.URL_VARIABLE,
          "jdbc:postgresql://localhost:" + closedPort + "/db?" + parameter + "=" + SECRET + "&connectTimeout=5",
          Database.USER_VARIABLE, "bench"));
      assertEquals(LossbenchCommand.EXIT_BAD_INPUT, s.exitCode, s.output());
      assertTrue(s.stderr.contains("cannot connect to PostgreSQL at jdbc:postgresql://localhost:" + closedPort + "/db?"
          + parameter + "=****"), s.output());
      s.assertNoSecret();
    }
  }

  @Test
  void aWrongPasswordAgainstTheRealServerOrAClosedPortIsNeverPrinted() throws Exception {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startTemporary()) {
      Status wrong = status("wrong", Map.of(Database.URL_VARIABLE, server.jdbcUrl(EmbeddedPostgresServer.DATABASE),
          Database.USER_VARIABLE, EmbeddedPostgresServer.SUPERUSER, Database.PASSWORD_VARIABLE, SECRET));
      assertEquals(LossbenchCommand.EXIT_BAD_INPUT, wrong.exitCode, wrong.output());
      assertTrue(wrong.stderr.contains("password authentication failed"), wrong.output());
      wrong.assertNoSecret();
    }
    Status closed = status("closed", Map.of(Database.URL_VARIABLE, "jdbc:postgresql://localhost:" + closedPort + "/db",
        Database.USER_VARIABLE, "bench", Database.PASSWORD_VARIABLE, SECRET));
    assertEquals(LossbenchCommand.EXIT_BAD_INPUT, closed.exitCode, closed.output());
    assertTrue(closed.stderr.contains("(is the server running, and reachable from here?)"), closed.output());
    closed.assertNoSecret();
  }

  @Test
  void anEmptyUrlMeansTheEmbeddedStoreUnderTheHome() throws Exception {
    // a read command creates no store (#24): the home's store exists before it reads
    dev.lossbench.schema.MetricsStore.open(Database.embedded(homes.resolve("empty").resolve("postgres"))).close();
    Status s = status("empty", Map.of(Database.URL_VARIABLE, "", Database.PASSWORD_VARIABLE, SECRET));
    assertEquals(LossbenchCommand.EXIT_OK, s.exitCode, s.output());
    assertTrue(s.stdout.contains("no benchmarks yet"), s.output());
    assertTrue(s.stderr.contains("read PostgreSQL under " + s.home.resolve("postgres")),
        "the store is <home>/postgres: " + s.output());
    s.assertNoSecret();
  }

  private Status status(String name, Map<String, String> environment) throws Exception {
    Path home = homes.resolve(name);
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-cp", classpath, LossbenchCommand.class.getName(), "status", "--home",
        home.toString());
    pb.environment().keySet().removeIf(k -> k.startsWith("LOSSBENCH_"));
    pb.environment().putAll(environment);
    Path out = Files.createTempFile(homes, name, ".out");
    Path err = Files.createTempFile(homes, name, ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "lossbench status did not end");
    return new Status(home, p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private record Status(Path home, int exitCode, String stdout, String stderr) {
    String output() {
      return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }

    void assertNoSecret() throws IOException {
      assertFalse(stdout.contains(SECRET), "stdout shows the secret:\n" + stdout);
      assertFalse(stderr.contains(SECRET), "stderr shows the secret:\n" + stderr);
      Map<Path, Boolean> files = new LinkedHashMap<>();
      if (Files.exists(home)) {
        try (Stream<Path> walk = Files.walk(home)) {
          for (Path f : walk.filter(Files::isRegularFile).toList()) {
            files.put(f, new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(SECRET));
          }
        }
      }
      List<Path> leaking = new ArrayList<>();
      files.forEach((f, leaks) -> {
        if (leaks) {
          leaking.add(f);
        }
      });
      assertEquals(List.of(), leaking, "files under the home holding the secret");
    }
  }
}
