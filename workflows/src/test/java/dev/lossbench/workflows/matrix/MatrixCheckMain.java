package dev.lossbench.workflows.matrix;

import java.nio.file.Path;

/** A child JVM of {@link HostileMatrixTest}: reads the matrix file it is given, prints the outcome, exits 2 on a matrix error. */
public final class MatrixCheckMain {
  private MatrixCheckMain() {}

  public static void main(String[] args) {
    try {
      BenchmarkSpec spec = MatrixParser.parse(Path.of(args[0]));
      System.out.println("read " + spec.name() + ": " + spec.cells().size() + " cells");
    } catch (MatrixException e) {
      System.out.println("refused: " + e.getMessage());
      System.exit(2);
    }
  }
}
