package dev.lossbench.workflows.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input bounds: a matrix is refused before its size can hold the parser or fill the heap. */
class MatrixLimitsTest {
  @TempDir
  Path temp;

  private static final String SMALL = """
      name: small
      datasets: [{name: scenes, kind: synthetic}]
      models: [vse-mean]
      losses: [triplet-hn, infonce]
      """;

  @Test
  void aBillionSeedsIsRefusedBeforeAnyListIsBuilt() {
    MatrixException e = assertThrows(MatrixException.class,
        () -> new MatrixParser(Map.of()).read(SMALL + "seeds: 1e9\n", "big.yaml", temp));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().startsWith("big.yaml:5:8: seeds: "), e.getMessage());
    assertTrue(e.getMessage().contains("expected at most 10000 (raise LOSSBENCH_MAX_CELLS"), e.getMessage());
  }

  @Test
  void theCellCountIsCheckedAgainstTheConfiguredLimit() {
    MatrixParser parser = new MatrixParser(Map.of(MatrixLimits.CELLS_VARIABLE, "5"));
    MatrixException e = assertThrows(MatrixException.class, () -> parser.read(SMALL + "seeds: 3\n", "m.yaml", temp));
    assertTrue(e.getMessage().contains("expands to 6 runs: expected at most 5"), e.getMessage());
    assertEquals(4,
        new MatrixParser(Map.of(MatrixLimits.CELLS_VARIABLE, "6")).read(SMALL + "seeds: 2\n", "m.yaml", temp)
            .cells().size());
  }

  @Test
  void aFileLargerThanTheLimitIsRefusedBeforeParsing() throws Exception {
    Path file = temp.resolve("huge.yaml");
    // 2 MiB of a comment: parsing it would be cheap, but the size alone decides
    Files.writeString(file, SMALL + "#" + "x".repeat(2 << 20) + "\n");
    MatrixException e = assertThrows(MatrixException.class, () -> new MatrixParser(Map.of()).read(file));
    assertEquals(1, e.problems().size());
    assertTrue(
        e.getMessage().startsWith(
            file + ": (file): is " + Files.size(file) + " bytes: expected a matrix file of at most 1048576 bytes"),
        e.getMessage());
    // raised, the same file is read
    assertEquals("small", new MatrixParser(Map.of(MatrixLimits.BYTES_VARIABLE, "4000000")).read(file).name());
  }

  @Test
  void aBadLimitNamesTheVariable() {
    MatrixException e = assertThrows(MatrixException.class,
        () -> new MatrixParser(Map.of(MatrixLimits.CELLS_VARIABLE, "lots")));
    assertEquals("LOSSBENCH_MAX_CELLS: (environment): is 'lots': expected a positive whole number", e.getMessage());
  }
}
