package dev.lossbench.workers.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness end to end on tiny sizes: the summary's format, never its timings. */
class BenchTest {
  private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?(x|%)");

  @Test
  void printsOneRowPerMeasurementWithANumberAGoalAndAVerdictLast(@TempDir Path work) {
    StringWriter text = new StringWriter();
    // a root without benchmarks/vse_step.py: the PyTorch part reports "not measured"; no embedded stack
    Bench.Outcome outcome = new Bench(BenchSizes.tiny(), work, work, false).run(new PrintWriter(text, true));
    List<String> lines = Arrays.asList(text.toString().strip().split("\n"));
    List<String> summary = lines.subList(lines.size() - Bench.ROWS.size(), lines.size());
    for (int i = 0; i < Bench.ROWS.size(); i++) {
      String line = summary.get(i);
      String[] words = line.trim().split("\\s+");
      assertEquals(Bench.ROWS.get(i), words[0], line);
      assertTrue(List.of("ok", "MISS").contains(words[words.length - 1]), line);
      assertTrue(line.contains("goal"), line);
      if (Bench.ROWS.get(i).equals("step-ops")) {
        assertTrue(line.contains("reads") && line.contains("ops/step"), line);
        assertTrue(line.trim().endsWith("ok"), "host reads per training step above 1: " + line);
      } else if (!Bench.ROWS.get(i).equals("orchestration")) {
        assertTrue(NUMBER.matcher(line).find(), "no measured figure in: " + line);
        assertFalse(line.contains("failed"), line);
      }
    }
    assertTrue(text.toString().contains("train-step vs PyTorch: not measured"), text.toString());
    // the profiler's counts are printed (counts, not timings): engine ops and host reads per training step
    assertTrue(
        Pattern.compile("step-ops: .* lossbench \\d+ engine ops, [01]\\.\\d host reads per step; PyTorch: not measured")
            .matcher(text.toString()).find(),
        text.toString());
    assertTrue(text.toString().contains("device cpu"), text.toString());
    assertFalse(outcome.agreementFailed());
    assertEquals(Bench.ROWS, outcome.rows().stream().map(BenchRow::name).toList());
  }

  @Test
  void rowsSayOkOrMissByTheirGoal() {
    assertEquals("ok", BenchRow.atMost("loss", 1.1, 1.2).verdict());
    assertEquals("MISS", BenchRow.atMost("loss", 1.3, 1.2).verdict());
    assertEquals("ok", BenchRow.shareAtLeast("train-step", 0.6, 0.5).verdict());
    assertTrue(BenchRow.atLeast("data", 12, 10).format().endsWith("ok"));
  }

  @Test
  void stepFlopsFollowTheDocumentedFormula() {
    BenchSizes s = BenchSizes.full();
    double b = 128, r = 36, d = 2048, e = 1024, w = 300, t = 20;
    double expected = 2 * (2 * b * r * d * e + 2 * b * r * d * e / 2)
        + 3 * (2 * b * r * e / 2 * e + 2 * 2 * b * t * (w * 3 * e + e * 3 * e) + 2 * b * b * e);
    assertEquals(expected, TrainStepBench.stepFlops(s), 1);
  }

  @Test
  void recallMemoryIsMeasuredInAFreshJvmAndSeesTheTiles() {
    // 2000 images x 10000 captions: one 1024-image tile of similarities alone is 1024 x 10000 floats (39 MiB)
    double mib = RecallMemoryChild.measure(2000, 64);
    assertTrue(Double.isFinite(mib), "the child JVM reported no figure");
    assertTrue(mib >= 30 && mib < 1024, mib + " MiB");
  }
}
