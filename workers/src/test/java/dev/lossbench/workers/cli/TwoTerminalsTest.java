package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.EmbeddedStack;
import dev.lossbench.workers.stack.LossbenchHome;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.MatrixParser;
import dev.lossbench.workflows.run.RunPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status}, {@code leaderboard} and {@code report} in a second terminal while {@code run} holds the home. */
class TwoTerminalsTest {
  @TempDir
  Path home;
  @TempDir
  Path dir;

  @Test
  void readingCommandsUseTheRunningStacksDatabase() throws Exception {
    BenchmarkSpec spec = MatrixParser.parse(BenchmarkCommandsTest.MATRIX.replace("name: cli", "name: two-terminals")
        .replace("losses: [triplet-hn, infonce, 'unified:gamma=20']", "losses: [infonce]")
        .replace("seeds: 2", "seeds: 1"));
    // what `lossbench run` brings up on the home, kept running while the other commands read
    try (EmbeddedStack stack = EmbeddedStack.start(new LossbenchHome(home), home.resolve("artifacts"))) {
      BenchmarkClient client = new BenchmarkClient(stack.connection().client());
      String id = client.submit(spec, OrchestrationSettings.defaults()).benchmarkId();
      assertEquals(RunPhase.SUCCEEDED, client.await(id, Duration.ofSeconds(1), ProgressListener.NONE).status());

      CommandRun status = CommandRun.of("status", "--home", home.toString());
      assertEquals(0, status.exitCode(), status.out() + status.err());
      assertTrue(status.out().contains("two-terminals") && status.out().contains(id), status.out());

      CommandRun board = CommandRun.of("leaderboard", "two-terminals", "--home", home.toString());
      assertEquals(0, board.exitCode(), board.out() + board.err());
      assertTrue(board.out().contains(id) && board.out().contains("infonce"), board.out());

      Path html = dir.resolve("r.html");
      CommandRun report = CommandRun.of("report", "two-terminals", "--out", html.toString(), "--home", home.toString());
      assertEquals(0, report.exitCode(), report.out() + report.err());
      assertTrue(Files.readString(html).contains("infonce"));

      // the stack still serves its store afterwards: reading did not stop its PostgreSQL
      assertEquals(1, stack.store().runs().byBenchmark(id).size());
    }
  }
}
