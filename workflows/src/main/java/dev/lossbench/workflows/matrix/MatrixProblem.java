package dev.lossbench.workflows.matrix;

/**
 * One mistake in a matrix file, where it is and what was expected.
 *
 * @param source the file (or the name given to a string) the matrix came from
 * @param line 1-based line of the offending value; 0 when the mistake concerns the whole file
 * @param column 1-based column; 0 with line 0
 * @param field where in the matrix, e.g. {@code losses[2].gamma[1]} (indexes count from 0)
 * @param message what is wrong and what was expected
 */
public record MatrixProblem(String source, int line, int column, String field, String message) {

  /** {@code source:line:column: field: message}, the form editors and terminals link to. */
  @Override
  public String toString() {
    String where = line > 0 ? source + ":" + line + ":" + column : source;
    return where + ": " + field + ": " + message;
  }
}
