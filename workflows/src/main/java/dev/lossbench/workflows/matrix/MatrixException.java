package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.InvalidInputException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A matrix file with mistakes. The message has one line per mistake, in file order, each
 * {@code file:line:column: field: what is wrong, what was expected}, so a user fixes all of them in
 * one pass.
 */
public class MatrixException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final transient List<MatrixProblem> problems;

  public MatrixException(List<MatrixProblem> problems) {
    super(problems.stream().map(MatrixProblem::toString).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a MatrixException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** The mistakes, in file order. */
  public List<MatrixProblem> problems() {
    return problems;
  }
}
