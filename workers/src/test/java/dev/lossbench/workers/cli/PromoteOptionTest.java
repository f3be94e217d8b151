package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.MatrixParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code resume --promote VARIANT}: a variant of the benchmark by label or spelling; anything else is one line. */
class PromoteOptionTest {
  private static final String MATRIX = """
      name: sweep
      datasets: [{name: s, kind: synthetic}]
      models: [vse-mean]
      losses: [triplet-hn, infonce, {name: unified, gamma: [20, 50]}]
      training: {epochs: 3}
      """;

  private static BenchmarkSpec parse(String yaml) {
    return new MatrixParser(Map.of()).read(yaml, "m.yaml", Path.of("."));
  }

  @Test
  void variantsAreNamedByLabelOrSpelling() {
    BenchmarkSpec spec = parse(MATRIX + "adaptive: {early_stopping: {rule: successive-halving}}\n");
    assertEquals(List.of("unified:gamma=20", "infonce"),
        ResumeCommand.promotedVariants(spec, List.of("unified:gamma=20.0", "infonce", "infonce")));
  }

  @Test
  void anUnknownVariantOrABenchmarkWithoutEarlyStoppingIsOneLine() {
    BenchmarkSpec spec = parse(MATRIX + "adaptive: {early_stopping: {rule: successive-halving}}\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ResumeCommand.promotedVariants(spec, List.of("circle")));
    assertEquals("--promote: 'circle' is not a loss variant of benchmark sweep: expected one of triplet-hn, infonce,"
        + " unified:gamma=20, unified", e.getMessage());
    InvalidInputException plain = assertThrows(InvalidInputException.class,
        () -> ResumeCommand.promotedVariants(parse(MATRIX), List.of("infonce")));
    assertEquals("--promote: benchmark sweep has no early stopping (adaptive: early_stopping), so none of its runs was"
        + " stopped: expected an adaptive benchmark", plain.getMessage());
  }
}
