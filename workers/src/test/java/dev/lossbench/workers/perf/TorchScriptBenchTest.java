package dev.lossbench.workers.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.retrieval.InvalidInputException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --torchscript} end to end on the checked-in fixture ({@code clip_tiny.pt}): it runs, prints one line
 * per side and its four rows — never its timings. The PyTorch side runs where {@code /usr/bin/python3} has torch and
 * is skipped with its reason where not (and always under a root without the script).
 */
class TorchScriptBenchTest {
  private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
  private static final Path FIXTURE = REPOSITORY.resolve("retrieval/src/test/resources/torchscript/clip_tiny.pt");
  private static final Pattern RATIO = Pattern.compile("\\d+\\.\\d\\dx PyTorch's");

  private static TorchScriptBench.Options tiny() {
    return new TorchScriptBench.Options(FIXTURE, 4, 64, 16, 2, 1, 1);
  }

  private static List<String> summary(String text) {
    List<String> lines = Arrays.asList(text.strip().split("\n"));
    return lines.subList(lines.size() - TorchScriptBench.ROWS.size(), lines.size());
  }

  private static void checkRows(String text, List<BenchRow> rows) {
    assertEquals(TorchScriptBench.ROWS, rows.stream().map(BenchRow::name).toList());
    List<String> summary = summary(text);
    for (int i = 0; i < rows.size(); i++) {
      String line = summary.get(i);
      String[] words = line.trim().split("\\s+");
      assertEquals(TorchScriptBench.ROWS.get(i), words[0], line);
      assertTrue(List.of("ok", "MISS").contains(words[words.length - 1]), line);
      assertTrue(line.contains("goal <="), line);
      assertFalse(line.contains("failed"), line);
    }
    // lossbench's side always measured: its step, memory, checkpoint and export
    assertTrue(Pattern.compile("ts lossbench: \\d+ parameters; step \\d+\\.\\d+ s; peak resident \\d+ MiB .*checkpoint "
        + "[0-9.]+ KiB in [0-9.]+ s, export [0-9.]+ KiB in [0-9.]+ s").matcher(text).find(), text);
  }

  @Test
  void runsTheFixtureOnBothSidesOrSaysWhyPyTorchIsNotMeasured(@TempDir Path work) {
    StringWriter text = new StringWriter();
    List<BenchRow> rows = new TorchScriptBench(tiny(), REPOSITORY, work).run(new PrintWriter(text, true));
    String out = text.toString();
    checkRows(out, rows);
    assertTrue(out.contains("batch 4, 64 px, 16 tokens, 1 threads on both sides (PyTorch's BLAS too)"), out);
    if (PyTorchReference.findTorchScriptStep(REPOSITORY).isPresent()) {
      assertTrue(Pattern.compile("ts PyTorch \\S+ eager: 44049 parameters; step \\d+\\.\\d+ s").matcher(out).find(),
          out);
      assertTrue(out.contains("ts PyTorch BLAS: "), out);
      for (String line : summary(out)) {
        assertTrue(RATIO.matcher(line).find(), "no ratio in: " + line);
      }
    } else {
      assertTrue(out.contains("ts PyTorch: not measured (no PyTorch"), out);
    }
  }

  @Test
  void withoutTheScriptThePyTorchSideIsNotMeasuredWithItsReason(@TempDir Path work) {
    StringWriter text = new StringWriter();
    List<BenchRow> rows = new TorchScriptBench(tiny(), work, work).run(new PrintWriter(text, true));
    String out = text.toString();
    checkRows(out, rows);
    assertTrue(out.contains("ts PyTorch: not measured (no benchmarks/torchscript_step.py under " + work + ")"), out);
    for (String line : summary(out)) {
      assertTrue(line.contains("PyTorch not measured (no benchmarks/torchscript_step.py") && line.endsWith("MISS"),
          line);
    }
  }

  @Test
  void theNetlibReferenceBlasIsToldApartFromOpenBlas() {
    assertTrue(TorchScriptBench.isReferenceBlas("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"));
    assertFalse(TorchScriptBench.isReferenceBlas("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"));
    assertFalse(TorchScriptBench.isReferenceBlas("none mapped"));
  }

  @Test
  void optionsOutOfRangeAreOneLineErrors(@TempDir Path work) {
    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> new TorchScriptBench.Options(work.resolve("none.pt"), 16, 224, 77, 10, 2, 2));
    assertTrue(missing.getMessage().startsWith("--torchscript: " + work.resolve("none.pt") + ": no such file"),
        missing.getMessage());
    InvalidInputException batch = assertThrows(InvalidInputException.class,
        () -> new TorchScriptBench.Options(FIXTURE, 1, 224, 77, 10, 2, 2));
    assertEquals("--batch: 1 is too small (expected 2 or more)", batch.getMessage());
  }
}
