package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark commands end to end on the embedded stack, as a person runs them (output captured). */
class BenchmarkCommandsTest {
  @TempDir
  Path home;
  @TempDir
  Path dir;

  static final String MATRIX = """
      name: cli
      datasets:
        - name: scenes
          kind: synthetic
          params: {train_images: 40, dev_images: 16, test_images: 16, seed: 2}
      models: ['vse-mean:embed_dim=16,word_dim=8']
      losses: [triplet-hn, infonce, 'unified:gamma=20']
      seeds: 2
      training: {epochs: 2, batch_size: 16, max_steps_per_epoch: 2}
      """;

  private CommandRun lossbench(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--home");
    all.add(home.toString());
    return CommandRun.of(all.toArray(String[]::new));
  }

  @Test
  void runPrintsTheLeaderboardThenRecognisesTheFinishedBenchmarkAndReportsIt() throws Exception {
    Path matrix = Files.writeString(dir.resolve("cli.yaml"), MATRIX);
    CommandRun first = lossbench("run", matrix.toString());
    assertEquals(0, first.exitCode(), first.out() + first.err());
    assertTrue(first.out().contains("benchmark cli succeeded: 6 succeeded"), first.out());
    for (String variant : List.of("triplet-hn", "infonce", "unified:gamma=20")) {
      assertTrue(
          first.out().lines()
              .anyMatch(l -> l.matches("\\s+\\d\\s+" + java.util.regex.Pattern.quote(variant) + "\\s+2\\s+.*")),
          "leaderboard row for " + variant + ":\n" + first.out());
    }
    // every variant against the baseline: Δ [95 %], P(A>B), p (pT) and the outcome; with 2 seeds undecided, and
    // the footnote says why (the smallest p two seeds can give)
    for (String variant : List.of("infonce", "unified:gamma=20")) {
      assertTrue(
          first.out().lines().anyMatch(l -> l.contains(" " + variant + " ") && l.contains(" [\u2212\u221e, +\u221e]")
              && l.contains("(pT ") && l.endsWith("undecided")),
          "comparison of " + variant + ":\n" + first.out());
    }
    assertTrue(first.out().contains("the smallest p the test can give is 2/2^2 = 0.5"), first.out());
    // not a terminal: plain lines, no carriage returns or escape sequences redrawing a bar
    assertFalse(first.out().contains("\r") || first.out().contains("\u001b["), "line-oriented output");

    CommandRun second = lossbench("run", matrix.toString());
    assertEquals(0, second.exitCode());
    assertTrue(second.out().contains("already finished"), second.out());
    assertFalse(second.out().contains("started "), "nothing trained again");

    JsonNode board = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(lossbench("leaderboard", "cli", "--format", "json").out());
    assertEquals(3, board.size());
    assertEquals(2, board.get(0).get("seeds").asInt());
    assertTrue(board.get(0).get("rsumMean").asDouble() >= board.get(2).get("rsumMean").asDouble(),
        "ranked by mean rSum");
    assertEquals(1, board.get(0).get("rank").asInt());
    String csv = lossbench("leaderboard", "cli", "--format", "csv").out();
    for (JsonNode row : board) {
      JsonNode rsum = row.get("comparisons").get("rsum");
      if (row.get("variant").asText().equals("triplet-hn")) {
        assertNull(rsum, "the baseline is not compared with itself");
        continue;
      }
      assertEquals(2, rsum.get("n").asInt());
      assertEquals(row.get("rsumMean").asDouble() - rsum.get("baselineMean").asDouble(),
          rsum.get("meanDelta").asDouble(), 1e-9);
      assertEquals("undecided", rsum.get("outcome").asText());
      assertTrue(rsum.get("ciLow").isNull(), "unbounded with two seeds");
      assertTrue(rsum.get("p").asDouble() >= 0.5, "no p below 2/2^2 with two seeds");
      // the CSV carries the same numbers
      String line = csv.lines().filter(l -> l.contains("," + row.get("variant").asText() + ",")).findFirst()
          .orElseThrow();
      assertTrue(line.contains(String.format(java.util.Locale.ROOT, ",%.4f,", rsum.get("meanDelta").asDouble())), line);
      assertTrue(line.endsWith(",undecided,,,,true,false"),
          "the outcome, the stopped columns (empty), then tied for best with two seeds: " + line);
    }

    CommandRun status = lossbench("status", "cli");
    assertEquals(6, status.out().lines().filter(l -> l.contains(" succeeded ")).count(), status.out());
    assertEquals(6,
        status.out().lines().filter(l -> l.contains(" succeeded ") && l.matches(".*\\s" + java.util.regex.Pattern.quote(
            dev.lossbench.retrieval.engine.CudaDevices.describe(dev.lossbench.retrieval.engine.EngineSettings.device()))
            + "\\s.*")).count(),
        "each run's device:\n" + status.out());

    Path html = dir.resolve("r.html");
    CommandRun report = lossbench("report", "cli", "--out", html.toString());
    assertEquals(0, report.exitCode(), report.err());
    String page = Files.readString(html);
    assertTrue(page.contains("unified:gamma=20") && page.contains("<svg"));
  }

  @Test
  void badInputIsAClearMessageWithExitCodeTwo() throws Exception {
    Path unknownKeys = Files.writeString(dir.resolve("bad.yaml"), MATRIX.replace("seeds: 2", "seeds: 2\nepochs: 3")
        .replace("kind: synthetic", "kind: synthetic\n    colour: red"));
    CommandRun r = lossbench("run", unknownKeys.toString());
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains(unknownKeys + ":10:1: epochs: unknown key"), r.err());
    assertTrue(r.err().contains("colour"), r.err());
    assertNoStackTrace(r);

    Path missingData = Files.writeString(dir.resolve("missing.yaml"), MATRIX.replace("""
            kind: synthetic
            params: {train_images: 40, dev_images: 16, test_images: 16, seed: 2}
        """, """
            kind: precomp
            path: %s
        """.formatted(dir.resolve("no-such-data"))));
    r = lossbench("run", missingData.toString());
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("no-such-data"), r.err());
    assertNoStackTrace(r);

    for (String command : List.of("resume", "report", "leaderboard", "status", "study")) {
      r = lossbench(command, "nosuch");
      assertEquals(2, r.exitCode(), command + ": " + r.out() + r.err());
      assertTrue(r.err().contains("no benchmark 'nosuch'"), command + ": " + r.err());
      assertNoStackTrace(r);
    }
    r = lossbench("run", dir.resolve("absent.yaml").toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("absent.yaml"), r.err());
  }

  private static void assertNoStackTrace(CommandRun r) {
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
  }
}
