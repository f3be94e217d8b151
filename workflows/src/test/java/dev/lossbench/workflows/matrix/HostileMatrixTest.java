package dev.lossbench.workflows.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Matrices made to exhaust the process: each is one matrix error, refused before the work grows with it. The
 * memory-bound ones run in a child JVM with a 64 MB heap, where expanding them (as before) ends in OutOfMemoryError.
 */
class HostileMatrixTest {
  @TempDir
  Path temp;

  private static final String HEAD = """
      name: hostile
      datasets: [{name: scenes, kind: synthetic}]
      models: [vse-mean]
      """;

  @Test
  void twoSweepsOfTwoThousandValuesAreRefusedBeforeExpansion() throws Exception {
    String gammas = IntStream.rangeClosed(1, 2000).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    String margins = IntStream.rangeClosed(1, 2000)
        .mapToObj(i -> String.format(java.util.Locale.ROOT, "%.4f", i / 10000.0)).collect(Collectors.joining(", "));
    String yaml = HEAD + "losses:\n  - {name: unified, gamma: [" + gammas + "], margin: [" + margins + "]}\n";
    assertTrue(yaml.length() > 20_000 && yaml.length() < 30_000, "a 25 KB matrix: " + yaml.length());

    MatrixException e = assertThrows(MatrixException.class,
        () -> new MatrixParser(Map.of()).read(yaml, "sweep.yaml", temp));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("expands to 4000000 runs: expected at most 10000"), e.getMessage());

    Path file = temp.resolve("sweep.yaml");
    Files.writeString(file, yaml);
    Child child = check(file);
    assertEquals(2, child.exit(), child.output());
    assertTrue(child.output().startsWith("refused: " + file + ":1:1: (matrix): expands to 4000000 runs"),
        child.output());
  }

  @Test
  void twoThousandNestedListsAreOneMatrixError() {
    String yaml = "name: deep\nmodels: " + "[".repeat(2000) + "]".repeat(2000) + "\n";
    MatrixException e = assertThrows(MatrixException.class,
        () -> new MatrixParser(Map.of()).read(yaml, "deep.yaml", temp));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().startsWith("deep.yaml:2:"), e.getMessage());
    assertTrue(e.getMessage().contains("nested more than " + MatrixParser.MAX_NESTING + " deep"), e.getMessage());
  }

  @Test
  void aDeviceIsReadOnlyUpToTheLimit() throws Exception {
    Path zero = Path.of("/dev/zero");
    if (!Files.isReadable(zero)) {
      return; // no such device on this OS: nothing to check
    }
    Child child = check(zero);
    assertEquals(2, child.exit(), child.output());
    assertEquals("refused: /dev/zero: (file): is more than 1048576 bytes: expected a matrix file of at most 1048576"
        + " bytes (raise LOSSBENCH_MAX_MATRIX_BYTES if it really is that large)", child.output().strip());
  }

  private record Child(int exit, String output) {}

  private Child check(Path matrix) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path out = temp.resolve("child-" + System.nanoTime() + ".out");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-cp", classpath, MatrixCheckMain.class.getName(), matrix.toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the child JVM did not end in 5 minutes: " + Files.readString(out));
    }
    return new Child(p.exitValue(), Files.readString(out));
  }
}
