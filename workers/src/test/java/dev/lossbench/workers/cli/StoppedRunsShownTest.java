package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.BenchmarkDefinition;
import dev.lossbench.schema.record.BenchmarkStatus;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Recalls;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.record.RunDefinition;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.UnfencedWrites;
import dev.lossbench.workers.stack.LossbenchHome;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.Cell;
import dev.lossbench.workflows.matrix.MatrixParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adaptive benchmark's store as {@code status}, {@code leaderboard} (table, CSV, JSON) and {@code report} show it.
 * The matrix's 4 variants × 3 seeds, 4 epochs; what the adaptive workflow left (written here through the
 * repositories, the rung by SQL as V11 stores it):
 *
 * <pre>
 * triplet-hn (baseline)  seeds 1–3 succeeded   test rSum 340, 342, 344
 * unified:gamma=20       seeds 1–3 succeeded   test rSum 360, 362, 364
 * infonce:tau=0.05       seeds 1–2 succeeded   test rSum 350, 352 (seed 3 never started: sequential seeds)
 * unified:gamma=5        seeds 1–3 stopped at rung 2, validation rSum there 250, 256, 262 → 256.0 ± 6.0
 * </pre>
 */
class StoppedRunsShownTest {
  private static final String MATRIX = """
      name: adaptive-shown
      datasets:
        - name: scenes
          kind: synthetic
          params: {train_images: 40, dev_images: 16, test_images: 16, seed: 2}
      models: ['vse-mean:embed_dim=16,word_dim=8']
      losses: [triplet-hn, 'infonce:tau=0.05', 'unified:gamma=20', 'unified:gamma=5']
      seeds: 3
      training: {epochs: 4, batch_size: 16}
      """;
  private static final String STOPPED = "unified:gamma=5";
  private static final Map<String, double[]> TEST_RSUM = Map.of(
      "triplet-hn", new double[]{340, 342, 344},
      "unified:gamma=20", new double[]{360, 362, 364},
      "infonce:tau=0.05", new double[]{350, 352});
  private static final double[] RUNG_RSUM = {250, 256, 262};
  private static final int EPOCHS = 4;
  private static final int RUNG = 2;

  @TempDir
  static Path home;
  @TempDir
  Path dir;
  private static EmbeddedPostgresServer server;
  private static BenchmarkSpec spec;

  @BeforeAll
  static void recordTheAdaptiveBenchmark() throws SQLException {
    server = EmbeddedPostgresServer.start(new LossbenchHome(home).postgres());
    spec = MatrixParser.parse(MATRIX);
    String benchmark = "benchmark-" + spec.name() + "-" + spec.specHash();
    ObjectMapper json = new ObjectMapper();
    try (MetricsStore store = MetricsStore.open(Database.external(server.jdbcUrl(EmbeddedPostgresServer.DATABASE),
        EmbeddedPostgresServer.SUPERUSER, server.superuserPassword()))) {
      store.benchmarks()
          .register(new BenchmarkDefinition(benchmark, spec.name(), readTree(json, spec.toCanonicalJson()),
              spec.specHash(), spec.baseline()));
      store.datasets().register(new DatasetDefinition(spec.datasets().get(0).id(), "synthetic", null,
          json.createObjectNode().put("seed", 2), "test"));
      for (Cell c : spec.cells()) {
        String variant = c.lossLabel();
        int seed = (int) c.seed();
        boolean stopped = variant.equals(STOPPED);
        if (!stopped && seed > TEST_RSUM.get(variant).length) {
          continue;
        }
        String run = "run-" + c.id();
        store.runs().register(new RunDefinition(run, benchmark, c.dataset().id(), c.modelLabel(),
            variant.contains(":") ? variant.substring(0, variant.indexOf(':')) : variant, null, variant, seed,
            json.createObjectNode().put("epochs", EPOCHS)));
        store.runs().start(run, "gpu-0");
        AttemptClaim claim = new AttemptClaim("exec-" + run, 1);
        store.attempts().begin(run, benchmark, claim, "gpu-0", "cpu");
        int epochs = stopped ? RUNG : EPOCHS;
        double last = stopped ? RUNG_RSUM[seed - 1] : TEST_RSUM.get(variant)[seed - 1];
        for (int e = 0; e < epochs; e++) {
          UnfencedWrites.upsert(store,
              new EpochMetric(run, e, 1.0, recalls(last - 20 * (epochs - 1 - e)), 1e-3, 10, 100, 1.0));
          store.attempts().recordEpoch(run, claim, 10);
        }
        if (stopped) {
          store.runs().finish(run, RunStatus.STOPPED, null);
          try (Connection connection = store.database().dataSource().getConnection();
              PreparedStatement st = connection.prepareStatement("UPDATE run SET stopped_epoch = ? WHERE id = ?")) {
            st.setInt(1, RUNG);
            st.setString(2, run);
            st.executeUpdate();
          }
        } else {
          UnfencedWrites.upsert(store, new Result(run, "test", recalls(last), 2, 6.5, 3, 9.25));
          store.runs().finish(run, RunStatus.SUCCEEDED, null);
        }
      }
      store.benchmarks().finish(benchmark, BenchmarkStatus.SUCCEEDED);
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private CommandRun lossbench(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--home";
    all[args.length + 1] = home.toString();
    CommandRun run = CommandRun.of(all);
    assertEquals(0, run.exitCode(), run.out() + run.err());
    return run;
  }

  @Test
  void statusShowsEachStoppedRunsRungAndCountsThem() {
    String one = lossbench("status", "adaptive-shown").out();
    assertTrue(one.lines().findFirst().orElseThrow().endsWith(": 11 runs, 8 succeeded, 3 stopped"), one);
    List<String> stopped = one.lines().filter(l -> l.contains(" " + STOPPED + " ")).toList();
    assertEquals(3, stopped.size(), one);
    for (String line : stopped) {
      assertTrue(line.matches(".*\\sstopped\\s.*\\sstopped at epoch 2 \\(rung\\)$"), line);
      assertTrue(line.matches(".*\\s2\\s+1\\s+2\\s+20\\.0\\s.*"),
          "2 epochs done, 1 attempt, 2 trained in 20 s: " + line);
    }
    assertTrue(one.contains("compute: 38 run-epochs trained in 11 runs"),
        "8 × 4 + 3 × 2, the stopped runs. epochs included: " + one);
    assertTrue(one.contains("full grid 48 run-epochs"),
        "4 variants × 3 seeds × 4 epochs, the unstarted cell too: " + one);

    String all = lossbench("status").out();
    assertTrue(
        all.lines().anyMatch(l -> l.startsWith("adaptive-shown") && l.endsWith("11 runs, 8 succeeded, 3 stopped")),
        all);
  }

  @Test
  void theLeaderboardListsStoppedVariantsBelowTheRankedOnesInEveryFormat() throws Exception {
    List<String> table = lossbench("leaderboard", "adaptive-shown").out().lines().toList();
    int ranked = -1;
    for (String variant : List.of("unified:gamma=20", "infonce:tau=0.05", "triplet-hn")) {
      int at = indexOf(table,
          "\\s+\\d\\s+" + Pattern.quote(variant) + "\\s+" + TEST_RSUM.get(variant).length + "\\s+.*");
      assertTrue(at > ranked, variant + " ranked, in order, with the seeds it used:\n" + String.join("\n", table));
      ranked = at;
    }
    int stopped = indexOf(table,
        "\\s+–\\s+" + Pattern.quote(STOPPED) + "\\s+3\\s+stopped at epoch 2: val rSum 256\\.0 ± 6\\.0");
    assertTrue(stopped > ranked, "below the ranked rows, no rank:\n" + String.join("\n", table));
    assertFalse(table.get(stopped).contains("undecided") || table.get(stopped).contains("["), "no comparison");
    assertTrue(table.stream().anyMatch(l -> l.startsWith("Stopped by successive halving at a rung")), "footnote");
    // 2-3 seeds separate nothing (the smallest sign-flip p with 3 pairs is 0.25): the three are tied for best,
    // named under the ranked rows and above the stopped one, which is no candidate
    int best = indexOf(table, Pattern.quote("  tied for best: unified:gamma=20, infonce:tau=0.05, triplet-hn (none of"
        + " them decided better than another, α/2 = 0.0250 per pair)"));
    assertTrue(best > ranked && best < stopped, "the best line in its group:\n" + String.join("\n", table));
    assertTrue(table.stream().anyMatch(l -> l.startsWith("Best: the variants no other variant is decided better")));

    String csv = lossbench("leaderboard", "adaptive-shown", "--format", "csv").out();
    assertTrue(csv.lines().findFirst().orElseThrow()
        .endsWith(",outcome,stopped_epoch,stopped_val_rsum_mean,stopped_val_rsum_std,could_be_best,best_decided"));
    String stoppedRow = csv.lines().filter(l -> l.contains("," + STOPPED + ",")).findFirst().orElseThrow();
    assertTrue(stoppedRow.startsWith(",") && stoppedRow.contains("," + STOPPED + ",,3,"),
        "no rank, no split, 3 seeds: " + stoppedRow);
    assertTrue(stoppedRow.endsWith(",".repeat(24) + "2,256.0000,6.0000,,"), "no candidate for best: " + stoppedRow);
    assertTrue(csv.lines().filter(l -> l.contains(",triplet-hn,")).findFirst().orElseThrow().endsWith(",,,true,false"),
        "a ranked row leaves the stopped columns empty; it could be the best, which is not decided");

    JsonNode board = lossbench("leaderboard", "adaptive-shown", "--format", "json").json();
    assertEquals(4, board.size());
    assertEquals(List.of(3, 2, 3), List.of(board.get(0).get("seeds").asInt(), board.get(1).get("seeds").asInt(),
        board.get(2).get("seeds").asInt()), "unified:gamma=20, infonce, triplet-hn: the seeds each used");
    JsonNode last = board.get(3);
    assertEquals(STOPPED, last.get("variant").asText());
    assertTrue(last.get("rank").isNull() && last.get("rsumMean").isNull());
    assertEquals(3, last.get("seeds").asInt());
    assertEquals(RUNG, last.get("stoppedEpoch").asInt());
    assertEquals(256, last.get("stoppedValRsumMean").asDouble(), 1e-9);
    assertEquals(6, last.get("stoppedValRsumStd").asDouble(), 1e-9);
    assertEquals(0, last.get("comparisons").size(), "not compared");
    assertTrue(last.get("couldBeBest").isNull(), "a stopped variant is no candidate for best");
    for (int i = 0; i < 3; i++) {
      assertTrue(board.get(i).get("couldBeBest").asBoolean() && !board.get(i).get("bestDecided").asBoolean(),
          "tied for best: " + board.get(i));
    }
    assertTrue(board.get(0).get("stoppedEpoch").isNull());
    assertFalse(board.get(0).get("comparisons").isEmpty(), "the finished benchmark's ranked variants are compared");
  }

  @Test
  void theReportShowsStoppedVariantsRunsAndTheCompute() throws Exception {
    Path html = dir.resolve("adaptive.html");
    lossbench("report", "adaptive-shown", "--out", html.toString());
    String page = Files.readString(html);

    assertTrue(page.contains(
        "<span class=\"count\" data-status=\"stopped\"><span class=\"status status-stopped\">stopped</span> 3</span>"),
        "the run counts");
    assertTrue(page.contains("<tr class=\"stopped\" data-variant=\"" + STOPPED + "\"><td class=\"num rank\"></td>"),
        "no rank");
    assertTrue(page.contains("<td class=\"stopped-at\" colspan=\"4\">stopped at epoch 2: val rSum 256.0 ± 6.0</td>"
        + "<td class=\"num seeds\">3</td>"), "the rung and the seeds it used");
    assertTrue(page.indexOf("<tr class=\"stopped\"") > page.indexOf("<tr data-variant=\"triplet-hn\">"),
        "below the ranked rows");
    assertEquals(3,
        count(page,
            "<span class=\"status status-stopped\">stopped</span> <span class=\"stopped-at\">at epoch 2 (rung)</span>"),
        "each stopped run in the run table, with its rung");
    assertTrue(page.contains("38 run-epochs trained in 11 runs") && page.contains("full grid 48 run-epochs"),
        "compute");
    assertTrue(
        page.contains("<p class=\"note best-note\">tied for best: unified:gamma=20, infonce:tau=0.05, triplet-hn"),
        "the best set under the table");
  }

  private static int indexOf(List<String> lines, String regex) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches(regex)) {
        return i;
      }
    }
    return -1;
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  private static Recalls recalls(double rsum) {
    return new Recalls(rsum / 6, rsum / 6, rsum / 6, rsum / 6, rsum / 6, rsum / 6);
  }

  /** {@code --against}: every variant compared with another reference, on demand, marked exploratory, not stored. */
  @Test
  void leaderboardAgainstAnotherVariantComparesWithItWithoutStoringIt() {
    List<String> table = lossbench("leaderboard", "adaptive-shown", "--against", "unified:gamma=20").out().lines()
        .toList();
    assertTrue(table.get(1).startsWith("EXPLORATORY: every variant against unified:gamma=20 (--against)"),
        "under the benchmark's line: " + String.join("\n", table));
    assertTrue(table.stream().anyMatch(l -> l.contains("Δ rSum vs reference [95 %]")), String.join("\n", table));
    String reference = table.stream().filter(l -> l.contains(" unified:gamma=20 ")).findFirst().orElseThrow();
    assertTrue(reference.contains(" reference "), reference);
    String baseline = table.stream().filter(l -> l.matches("\\s+\\d+\\s+triplet-hn\\s.*")).findFirst().orElseThrow();
    assertTrue(baseline.contains("−20.0"), "340..344 against 360..364, paired by seed: " + baseline);

    JsonNode board = lossbench("leaderboard", "adaptive-shown", "--against", "unified:gamma=20", "--format", "json")
        .json();
    JsonNode infonce = null;
    for (JsonNode row : board) {
      if ("infonce:tau=0.05".equals(row.path("variant").asText())) {
        infonce = row.path("comparisons").path("rsum");
      }
    }
    assertNotNull(infonce, board.toString());
    assertEquals("unified:gamma=20", infonce.path("baseline").asText());
    assertEquals(-10.0, infonce.path("meanDelta").asDouble(), 1e-9, "350, 352 against 360, 362");
    assertEquals(2, infonce.path("n").asInt());

    // the stored comparisons are still the matrix's baseline's
    JsonNode stored = lossbench("leaderboard", "adaptive-shown", "--format", "json").json();
    for (JsonNode row : stored) {
      if (row.path("comparisons").has("rsum")) {
        assertEquals("triplet-hn", row.path("comparisons").path("rsum").path("baseline").asText(), row.toString());
      }
    }

    String[] bad = {"leaderboard", "adaptive-shown", "--against", "circle", "--home", home.toString()};
    CommandRun refused = CommandRun.of(bad);
    assertEquals(2, refused.exitCode(), refused.out() + refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(refused.err().contains("--against circle") && refused.err().contains("unified:gamma=20"), refused.err());
  }

  private static JsonNode readTree(ObjectMapper json, String text) {
    try {
      return json.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
