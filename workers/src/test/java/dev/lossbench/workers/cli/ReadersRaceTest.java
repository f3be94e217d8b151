package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.workers.stack.EmbeddedStack;
import dev.lossbench.workers.stack.LossbenchHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} processes racing the end of the lossbench that holds the home, and a {@code run} starting while a
 * {@code status} holds an idle home: each waits its turn, none answers "internal error" or locks the other out.
 */
class ReadersRaceTest {
  @TempDir
  Path home;
  @TempDir
  Path scratch;

  @Test
  void statusCallsDuringTheHoldersShutdownAnswerOrSayInUse() throws Exception {
    LossbenchHome lossbenchHome = new LossbenchHome(home);
    // the holder: a home's PostgreSQL, as a `run` keeps it to its last second
    EmbeddedPostgresServer holder = EmbeddedPostgresServer.start(lossbenchHome.postgres());
    List<Status> statuses = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        statuses.add(Status.start(home, scratch, i));
        Thread.sleep(400);
        if (i == 2) {
          holder.close(); // the run ends while the readers come and go
          holder = null;
        }
      }
    } finally {
      if (holder != null) {
        holder.close();
      }
    }
    for (Status s : statuses) {
      s.await();
      assertFalse(s.stderr().contains("internal error"), s.describe());
      // an answer, or (past the wait) one line, exit 2: never an internal error
      assertTrue(s.exitCode() == 0 && s.stdout().contains("no benchmarks yet")
          || s.exitCode() == 2 && s.stderr().strip().lines().count() == 1, s.describe());
    }
  }

  @Test
  void aRunStartingWhileAStatusHoldsTheIdleHomeWaitsForIt() throws Exception {
    LossbenchHome lossbenchHome = new LossbenchHome(home);
    EmbeddedPostgresServer.start(lossbenchHome.postgres()).close(); // an idle home, its store made
    Status status = Status.start(home, scratch, 0);
    Path pid = lossbenchHome.postgres().resolve("data").resolve("postmaster.pid");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!Files.exists(pid)) { // the status has started the home's PostgreSQL and holds it
      assertTrue(System.nanoTime() < deadline,
          "status never started the home's PostgreSQL: " + status.describeIfDone());
      Thread.sleep(10);
    }
    // what `lossbench run` brings up on the home
    try (EmbeddedStack stack = EmbeddedStack.start(lossbenchHome, home.resolve("artifacts"))) {
      assertEquals(List.of(), stack.store().benchmarks().list());
    }
    status.await();
    assertEquals(0, status.exitCode(), status.describe());
  }

  /** A {@code lossbench status} child process. */
  private static final class Status {
    private final Process process;
    private final Path out;
    private final Path err;

    private Status(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    static Status start(Path home, Path scratch, int i) throws Exception {
      String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Dai.djl.offline=true", "-cp", classpath, LossbenchCommand.class.getName(), "status", "--home",
          home.toString());
      pb.environment().keySet().removeIf(k -> k.startsWith("LOSSBENCH_"));
      Path out = scratch.resolve("status-" + i + ".out");
      Path err = scratch.resolve("status-" + i + ".err");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      return new Status(pb.start(), out, err);
    }

    void await() throws Exception {
      assertTrue(process.waitFor(3, TimeUnit.MINUTES), "lossbench status did not end");
    }

    int exitCode() {
      return process.exitValue();
    }

    String stdout() throws Exception {
      return Files.readString(out);
    }

    String stderr() throws Exception {
      return Files.readString(err);
    }

    String describe() throws Exception {
      return "exit " + exitCode() + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr();
    }

    String describeIfDone() throws Exception {
      return process.isAlive() ? "still running" : describe();
    }
  }
}
