package dev.lossbench.retrieval.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one {@code ${VAR}} expander: a matrix's data directories and a TorchScript model's files. */
class PathTemplateTest {
  @Test
  void variablesAreExpandedAndEveryProblemIsNamed() {
    Map<String, String> env = Map.of("DATA", "/srv/data", "EMPTY", "");
    assertEquals(new PathTemplate.Expansion("/srv/data/f30k", List.of()),
        PathTemplate.expand("${DATA}/f30k", env, "the data directory", "/path/to/data"));
    assertEquals(List.of(
        "environment variable UNSET is not set: expected it to name the file (export UNSET=/path/to/file)",
        "environment variable EMPTY is not set (it is empty): expected it to name the file (export EMPTY=/path/to/file)",
        "'${1BAD}' is not an environment variable reference: expected ${NAME} with NAME of letters, digits and _"),
        PathTemplate.expand("${UNSET}/${EMPTY}/${1BAD}/model.pt", env, "the file", "/path/to/file").problems());
    assertEquals(List.of("'${DATA}/${OPEN' has an unterminated '${': expected ${NAME}"),
        PathTemplate.expand("${DATA}/${OPEN", env, "the data directory", "/path/to/data").problems());
  }
}
