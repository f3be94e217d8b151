package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.BenchmarkDefinition;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.schema.record.RunDefinition;
import dev.lossbench.workers.stack.LossbenchHome;
import dev.lossbench.workers.study.StudyFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code lossbench study} on the study fixture in a lossbench home of its own, as a person runs it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StudyCommandTest {
  @TempDir
  static Path home;

  @BeforeAll
  void recordTheFixture() {
    assertTrue(home != null && home.toString().contains("junit"), "a temporary home, never ~/.lossbench: " + home);
    try (MetricsStore store = MetricsStore.open(LossbenchHome.resolve(home).database())) {
      StudyFixture.record(store);
      // a benchmark whose only run has not finished
      var spec = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("name", "pending");
      store.benchmarks().register(new BenchmarkDefinition("benchmark-pending-1", "pending", spec, "1", null));
      store.datasets().register(new DatasetDefinition("synthetic-p", "synthetic", null, spec, "test"));
      store.runs().register(new RunDefinition("run-p", "benchmark-pending-1", "synthetic-p", "m", "unified", null,
          "unified", 1, null));
    }
  }

  private CommandRun lossbench(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--home");
    all.add(home.toString());
    return CommandRun.of(all.toArray(String[]::new));
  }

  @Test
  void printsTheTablesAndTheVerdicts() {
    CommandRun r = lossbench("study", StudyFixture.NAME);
    assertEquals(0, r.exitCode(), r.err());
    String out = r.out();
    assertTrue(out.contains("Datasets: target-150 (150 training images, fine-tuned from source); target-300"), out);
    assertTrue(out.contains("left out: source"), out);
    assertTrue(out.contains("Judged as the unified loss: unified:gamma=20 (highest mean best validation rSum among 2"
        + " candidates, 226.0; chosen on validation data, not test data; p-values Holm-corrected for the choice)"),
        out);
    // γ20's test rSum on target-150 (1049/3 ± t·√111/3/√3) and its difference to VLC
    assertTrue(out.lines().anyMatch(l -> l.matches("\\s+unified:gamma=20\\s+349\\.7 \\[340\\.9, 358\\.4\\] n=3\\s+.*")),
        out);
    // every seed ahead with 3 seeds: the exact sign-flip p is 2/2³, and its interval is unbounded
    assertTrue(out.lines().anyMatch(l -> l.matches("\\s+unified:gamma=20\\s+\\+14\\.7 \\[unbounded\\] p=0\\.25\\s+.*")),
        out);
    // curve area (mean validation rSum over the 4 epochs), then epochs to 90 %: triplet-hn 10/3 ± T2/3
    assertTrue(out.lines().anyMatch(l -> l.matches(
        "\\s+triplet-hn\\s+3\\s+158\\.0 \\[131\\.6, 184\\.4\\]\\s+3\\.33 \\[1\\.90, 4\\.77\\]\\s+33\\.3 .*")), out);
    assertTrue(out.contains("Analysis: NOT PRE-REGISTERED"), out);
    assertTrue(out.contains("Claim 1: The unified loss converges faster than Triplet-HN.\n"
        + "  Against: triplet-hn (plain Triplet-HN, no warm-up)\n  Verdict: INCONCLUSIVE"), out);
    assertTrue(
        out.contains("Claim 2 (also): The unified loss generalises better than VLC when fine-tuning on small data.\n"
            + "  Against: infonce:tau=0.05 (VLC at τ = 1/γ of unified:gamma=20: isolates the margin)\n"
            + "  Verdict: INCONCLUSIVE (not pre-registered)"),
        out);
    assertTrue(
        out.contains("Verdict: INCONCLUSIVE (not pre-registered) — judged on target-150, the smallest training set"
            + " (150 images)"),
        out);
    assertTrue(out.contains("target-300 (context): inconclusive"), out);
    assertFalse(out.contains("380.0") || out.contains("390.0"), "the pretraining stage's numbers stay out: " + out);
    // the fixture's runs have no protocol gap: the study says so per dataset, between (b) and (c)
    assertTrue(out.contains("\n  target-150: no train-set recall recorded (add protocol gap to the dataset)\n"), out);
    assertTrue(out.contains("\n  target-300: no train-set recall recorded (add protocol gap to the dataset)\n"), out);
    assertTrue(out.indexOf("(b2) Generalisation gap") > out.indexOf("(b) Generalisation")
        && out.indexOf("(b2) Generalisation gap") < out.indexOf("(c) Verdicts"), out);
  }

  @Test
  void jsonHasTheNumbersAndTheVerdicts() {
    CommandRun r = lossbench("study", StudyFixture.BENCHMARK, "--format", "json", "--early-epochs", "1");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode json = r.json();
    assertEquals(StudyFixture.U20, json.get("judged").asText());
    assertEquals("INCONCLUSIVE", json.get("verdicts").get(1).get("outcome").asText(), "3 seeds: p ≥ 0.25");
    assertEquals("NOT_PRE_REGISTERED", json.get("verdicts").get(1).get("standing").asText());
    JsonNode row = null;
    for (JsonNode g : json.get("generalisation")) {
      if (g.get("dataset").asText().equals("target-300") && g.get("variant").asText().equals(StudyFixture.U20)) {
        row = g;
      }
    }
    assertEquals(2, row.get("vsVlc").get("n").asInt(), "seed 3 of VLC failed: two pairs");
    assertEquals(-1.0, row.get("vsVlc").get("meanDifference").asDouble(), 1e-9);
    assertEquals(1, json.get("convergence").get(0).get("early").size());
  }

  @Test
  void unknownBenchmarksNoFinishedRunsAndUnknownVariantsAreOneLineWithExitCodeTwo() {
    for (String[] args : List.of(new String[]{"study", "nosuch"}, new String[]{"study", "pending"},
        new String[]{"study", StudyFixture.NAME, "--vlc", "infonce"},
        new String[]{"study", StudyFixture.NAME, "--early-epochs", "0"},
        new String[]{"study", StudyFixture.NAME, "--equivalence-rsum", "0"})) {
      CommandRun r = lossbench(args);
      assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.out() + r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertFalse(r.err().contains("Exception"), r.err());
    }
    assertTrue(lossbench("study", "nosuch").err().contains("no benchmark 'nosuch'"));
    assertTrue(lossbench("study", "pending").err().contains("has no succeeded runs yet: nothing to study"));
  }

  @Test
  void helpHasNoFormatWarnings() {
    // picocli warns on System.err when a description is not a valid format string ("95% t" needs "95%% t")
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    try {
      System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
      for (String[] args : List.of(new String[]{"--help"}, new String[]{"study", "--help"})) {
        CommandRun r = CommandRun.of(args);
        assertEquals(0, r.exitCode(), r.err());
        assertFalse((r.out() + r.err()).contains("%%"), "a literal % prints as %: " + r.out());
      }
    } finally {
      System.setErr(saved);
    }
    String warnings = stderr.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertFalse(warnings.contains("picocli WARN"), warnings);
    assertTrue(CommandRun.of("study", "--help").out().contains("90% of"), "the % itself is printed");
  }
}
