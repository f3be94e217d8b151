package dev.lossbench.workflows.matrix;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The matrix's {@code study:} block: parsed, validated, part of the canonical form and of the hash. */
class StudyBlockTest {
  @TempDir
  Path temp;

  private static final String MATRIX = """
      name: q
      datasets: [{name: s, kind: synthetic}]
      models: [vse-mean]
      losses: [triplet-hn, infonce, {name: unified, gamma: [20, 50]}]
      seeds: 3
      """;

  private BenchmarkSpec parse(String yaml) {
    return new MatrixParser(Map.of()).read(yaml, "m.yaml", temp);
  }

  private MatrixException mistakes(String yaml) {
    return assertThrows(MatrixException.class, () -> parse(yaml));
  }

  /** The hash of matrices/quick.yaml before the study block existed (the README's "started benchmark-quick-…"). */
  private static final String QUICK_HASH_BEFORE_STUDY = "3034d7e3b93abc79a5a0";

  @Test
  void aMatrixWithoutStudyKeepsItsHashAndIdAndDefaults() {
    BenchmarkSpec quick = MatrixParser.parse(Path.of("..", "matrices", "quick.yaml"));
    assertNull(quick.study());
    assertFalse(quick.preRegistered());
    assertEquals(QUICK_HASH_BEFORE_STUDY, quick.specHash());
    assertFalse(quick.toCanonicalJson().contains("\"study\""));
    AnalysisPlan plan = quick.analysisPlan();
    assertEquals(0.05, plan.alpha());
    assertEquals(List.of("rsum"), plan.primary());
    assertEquals(AnalysisPlan.DEFAULT_BOUND, plan.bound("rsum"));
    assertEquals(5.0, plan.bound("rsum").resolve(500.0), 1e-12, "the default bound is 1 % of the baseline's mean");
  }

  @Test
  void theBlockIsReadIntoThePlanAndRoundTripsThroughTheStore() {
    BenchmarkSpec spec = parse(MATRIX + """
        study:
          alpha: 0.01
          equivalence: {rsum: 2%, r1_i2t: 1.5, epochs_to_threshold: 1}
          convergence: epochs_to_threshold
          unified: [unified, "unified:gamma=20.0"]
          primary: [rsum, val_rsum_auc]
        """);
    AnalysisPlan plan = spec.study();
    assertTrue(spec.preRegistered());
    assertEquals(0.01, plan.alpha());
    assertEquals(new AnalysisPlan.EquivalenceBound(0.02, true), plan.bound("rsum"));
    assertEquals(6.0, plan.bound("rsum").resolve(300.0), 1e-12);
    assertEquals(1.5, plan.bound("r1_i2t").resolve(null));
    assertEquals("epochs_to_threshold", plan.convergence());
    assertEquals(List.of("unified", "unified:gamma=20"), plan.unified());
    assertEquals(List.of("rsum", "val_rsum_auc"), plan.primary());
    BenchmarkSpec back = BenchmarkSpec.fromCanonicalJson(spec.toCanonicalJson());
    assertEquals(spec, back);
    assertEquals(spec.specHash(), back.specHash());
  }

  @Test
  void theBlockIsPartOfTheHashButItsSpellingIsNot() {
    String block = "study: {alpha: 0.05, equivalence: {rsum: 2%}, unified: [unified:gamma=50]}\n";
    BenchmarkSpec plain = parse(MATRIX);
    BenchmarkSpec declared = parse(MATRIX + block);
    assertNotEquals(plain.specHash(), declared.specHash(), "a pre-registered analysis is another benchmark");
    assertEquals(declared.specHash(), parse(MATRIX
        + "study:\n  unified: [\"unified:gamma=50.0\"]\n  equivalence:\n    rsum: 2.0 %\n  alpha: 5e-2\n").specHash());
    for (String changed : List.of(block.replace("0.05", "0.01"), block.replace("2%", "3%"),
        block.replace("2%", "2"), block.replace("gamma=50", "gamma=20"), block.replace("}\n", ", primary: [r1_t2i]}\n"),
        block.replace("}\n", ", convergence: epochs_to_threshold}\n"))) {
      assertNotEquals(declared.specHash(), parse(MATRIX + changed).specHash(), changed);
    }
  }

  @Test
  void everyMistakeIsOneLineWithItsPosition() {
    MatrixException e = mistakes(MATRIX + """
        study:
          alpha: 0.9
          equivalence: {rsum: -5, map: 2, r1_t2i: 200%}
          convergence: own-best
          unified: [infonce, unified:gamma=50, unified:gamma=50, unified:gamma=7]
          primary: []
          colour: red
        """);
    List<String> where = e.problems().stream().map(p -> p.line() + ":" + p.column() + " " + p.field()).toList();
    assertEquals(List.of("7:10 study.alpha", "8:23 study.equivalence.rsum", "8:27 study.equivalence.map",
        "8:43 study.equivalence.r1_t2i", "9:16 study.convergence", "10:13 study.unified[0]", "10:40 study.unified[2]",
        "10:58 study.unified[3]", "11:12 study.primary", "12:3 study.colour"), where, e.getMessage());
    for (String line : e.getMessage().split("\n")) {
      assertTrue(line.startsWith("m.yaml:"), line);
      assertTrue(line.contains("expected"), line);
    }
    mistakes(MATRIX + "study: [alpha]\n");
    mistakes(MATRIX.replace("{name: unified, gamma: [20, 50]}", "circle") + "study: {unified: [circle]}\n");
  }

  @Test
  void anEmptyBlockDeclaresTheDefaults() {
    BenchmarkSpec spec = parse(MATRIX + "study:\n");
    assertTrue(spec.preRegistered());
    assertEquals(AnalysisPlan.defaults(), spec.study());
  }
}
