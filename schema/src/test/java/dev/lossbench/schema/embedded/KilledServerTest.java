package dev.lossbench.schema.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lossbench killed with SIGKILL leaves its postmaster running (pg_ctl detaches it). The next start on the same
 * home stops that orphan cleanly and serves the same data: nothing is lost, nothing keeps running twice.
 */
class KilledServerTest {
  /** The child: starts the server on the home, writes a row, says READY, then waits to be killed. */
  public static void main(String[] args) throws Exception {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]));
    try (Connection c = server.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE kept (v text)");
      st.execute("INSERT INTO kept VALUES ('before the kill')");
    }
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
  }

  @Test
  void theNextStartStopsTheOrphanAndServesTheSameData(@TempDir Path home) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, KilledServerTest.class.getName(), home.toString())
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      boolean ready = false;
      while ((line = out.readLine()) != null) {
        if (line.equals("READY")) {
          ready = true;
          break;
        }
      }
      assertTrue(ready, "the child started its server");
      child.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
    }
    long orphan = Long.parseLong(Files.readAllLines(home.resolve("data").resolve("postmaster.pid")).get(0).trim());
    assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false),
        "kill -9 leaves the postmaster running");

    try (EmbeddedPostgresServer next = EmbeddedPostgresServer.start(home);
        Connection c = next.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT v FROM kept")) {
      Optional<ProcessHandle> old = ProcessHandle.of(orphan);
      assertFalse(old.isPresent() && old.get().isAlive(), "the orphaned postmaster was stopped");
      assertTrue(rs.next());
      assertEquals("before the kill", rs.getString(1));
      assertFalse(rs.next());
    }
  }
}
