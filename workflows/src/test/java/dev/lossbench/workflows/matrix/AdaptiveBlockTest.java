package dev.lossbench.workflows.matrix;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sequential seeds ({@code seeds: {min, max, step}}) and {@code adaptive: {early_stopping: ...}}: parsed, validated
 * with one line per mistake, in the hash and the canonical form when present, never in a cell's identity.
 */
class AdaptiveBlockTest {
  @TempDir
  Path temp;

  private static final String MATRIX = """
      name: q
      datasets: [{name: s, kind: synthetic}]
      models: [vse-mean]
      losses: [triplet-hn, infonce, {name: unified, gamma: [20, 50]}]
      training: {epochs: 8}
      """;

  private BenchmarkSpec parse(String yaml) {
    return new MatrixParser(Map.of()).read(yaml, "m.yaml", temp);
  }

  private MatrixException mistakes(String yaml) {
    return assertThrows(MatrixException.class, () -> parse(yaml));
  }

  @Test
  void sequentialSeedsAndEarlyStoppingAreRead() {
    BenchmarkSpec spec = parse(MATRIX + """
        seeds: {min: 3, max: 10, step: 2}
        adaptive:
          early_stopping: {rule: successive-halving, metric: validation_rsum, grace_epochs: 1, reduction_factor: 3}
        """);
    assertTrue(spec.trainsAdaptively());
    assertEquals(new AdaptivePlan.SequentialSeeds(3, 10, 2), spec.adaptive().seeds());
    assertEquals(List.of(3, 5, 7, 9, 10), spec.adaptive().seeds().looks());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), spec.seeds());
    assertEquals(new AdaptivePlan.EarlyStopping("successive-halving", "validation_rsum", 1, 3),
        spec.adaptive().earlyStopping());
    assertEquals(spec, BenchmarkSpec.fromCanonicalJson(spec.toCanonicalJson()), "round trip through the store");
  }

  @Test
  void eitherPartAloneWithDefaults() {
    BenchmarkSpec seedsOnly = parse(MATRIX + "seeds: {min: 2, max: 4}\n");
    assertEquals(new AdaptivePlan(new AdaptivePlan.SequentialSeeds(2, 4, 1), null), seedsOnly.adaptive());
    BenchmarkSpec stoppingOnly = parse(MATRIX + "seeds: 3\nadaptive: {early_stopping: {rule: successive-halving}}\n");
    assertEquals(new AdaptivePlan(null, new AdaptivePlan.EarlyStopping("successive-halving", "validation_rsum", 1, 3)),
        stoppingOnly.adaptive());
    assertEquals(stoppingOnly, BenchmarkSpec.fromCanonicalJson(stoppingOnly.toCanonicalJson()));
    assertFalse(parse(MATRIX).trainsAdaptively());
    assertFalse(parse(MATRIX).toCanonicalJson().contains("adaptive"));
  }

  @Test
  void theCellsAreThoseOfTheFullMatrixButTheHashIsNot() {
    BenchmarkSpec full = parse(MATRIX + "seeds: 4\n");
    BenchmarkSpec adaptive = parse(MATRIX + """
        seeds: {min: 2, max: 4}
        adaptive: {early_stopping: {rule: successive-halving, grace_epochs: 2, reduction_factor: 2}}
        """);
    assertEquals(full.cells(), adaptive.cells(), "an adaptive and a full matrix share cells, so runs");
    assertNotEquals(full.specHash(), adaptive.specHash(), "two benchmarks");
    assertEquals(full.specHash(), parse(MATRIX + "seeds: [1, 2, 3, 4]\n").specHash(), "the full one hashes as before");
  }

  @Test
  void everyMistakeIsOneLineAtItsPlace() {
    MatrixException e = mistakes(MATRIX + """
        seeds: {min: 1, max: x, stride: 2}
        adaptive:
          early_stopping: {rule: asha, metric: loss, grace_epochs: 8, reduction_factor: 1, patience: 2}
          pruner: median
        """);
    assertEquals(List.of(
        "m.yaml:6:14: seeds.min: got '1': expected an integer >= 2: the seeds of the first look (a paired comparison"
            + " needs two)",
        "m.yaml:6:22: seeds.max: got 'x': expected an integer >= min: seeds 1..max at most",
        "m.yaml:6:25: seeds.stride: unknown key 'stride': expected min, max and step (sequential seeds: seeds 1..max,"
            + " a look at min, min+step, …, max)",
        "m.yaml:8:26: adaptive.early_stopping.rule: got 'asha': expected the rule successive-halving",
        "m.yaml:8:40: adaptive.early_stopping.metric: got 'loss': expected the rung metric validation_rsum (the rung"
            + " epoch's validation rSum)",
        "m.yaml:8:60: adaptive.early_stopping.grace_epochs: got '8': expected an integer in [1, 7]: fewer than"
            + " training.epochs (8), so that some rung comes before the last epoch",
        "m.yaml:8:81: adaptive.early_stopping.reduction_factor: got '1': expected an integer >= 2 (η: a rung keeps the"
            + " best 1/η of the variants)",
        "m.yaml:8:84: adaptive.early_stopping.patience: unknown key 'patience': expected one of rule, metric,"
            + " grace_epochs, reduction_factor, keep_within",
        "m.yaml:9:3: adaptive.pruner: unknown key 'pruner': expected early_stopping"),
        e.getMessage().lines().toList());
  }

  @Test
  void keepWithinIsReadHashedOnlyWhenWrittenAndChecked() {
    String without = MATRIX + "seeds: 3\nadaptive: {early_stopping: {rule: successive-halving}}\n";
    BenchmarkSpec relative = parse(MATRIX + "seeds: 3\nadaptive: {early_stopping: {keep_within: 1%}}\n");
    BenchmarkSpec absolute = parse(MATRIX + "seeds: 3\nadaptive: {early_stopping: {keep_within: 0.5}}\n");
    assertEquals(new AnalysisPlan.EquivalenceBound(0.01, true), relative.adaptive().earlyStopping().keepWithin());
    assertEquals(new AnalysisPlan.EquivalenceBound(0.5, false), absolute.adaptive().earlyStopping().keepWithin());
    assertNull(parse(without).adaptive().earlyStopping().keepWithin());
    assertEquals(relative, BenchmarkSpec.fromCanonicalJson(relative.toCanonicalJson()), "round trip through the store");
    assertEquals(absolute, BenchmarkSpec.fromCanonicalJson(absolute.toCanonicalJson()));
    assertNotEquals(parse(without).specHash(), relative.specHash(), "another rule, another benchmark");
    assertNotEquals(relative.specHash(), absolute.specHash());
    assertFalse(parse(without).toCanonicalJson().contains("keep_within"),
        "a matrix without the key hashes as it did before the key existed");
    assertEquals("m.yaml:7:42: adaptive.early_stopping.keep_within: got '-1': expected rSum points (keep_within: 0.5)"
        + " or a percentage of the last survivor's rung mean in (0, 100] (keep_within: 1%)",
        mistakes(MATRIX + "seeds: 3\nadaptive: {early_stopping: {keep_within: -1}}\n").getMessage());
  }

  @Test
  void moreMistakes() {
    assertEquals("m.yaml:6:8: seeds: sequential seeds without min: expected {min: N, max: M, step: S} with"
        + " 2 <= N <= M (step default 1)", mistakes(MATRIX + "seeds: {max: 4}\n").getMessage());
    assertEquals("m.yaml:6:22: seeds.max: max 3 is below min 5: expected min <= max",
        mistakes(MATRIX + "seeds: {min: 5, max: 3}\n").getMessage());
    assertEquals("m.yaml:6:11: adaptive: an empty adaptive block: expected the key early_stopping",
        mistakes(MATRIX + "adaptive: {}\n").getMessage());
    assertEquals("m.yaml:6:11: adaptive: got 'yes': expected a mapping with the key early_stopping (e.g."
        + " {early_stopping: {rule: successive-halving, grace_epochs: 1, reduction_factor: 3}})",
        mistakes(MATRIX + "adaptive: yes\n").getMessage());
  }

  @Test
  void earlyStoppingRefusesStages() {
    MatrixException e = mistakes("""
        name: q
        datasets:
          - {name: a, kind: synthetic}
          - {name: b, kind: synthetic, params: {domain: 1}, init: {from: a}}
        models: [vse-mean]
        losses: [triplet-hn, infonce]
        training: {epochs: 3}
        adaptive: {early_stopping: {rule: successive-halving}}
        """);
    assertEquals("m.yaml:8:11: adaptive: dataset b (line 4) is a fine-tuning stage (init.from): expected a"
        + " single-stage matrix for an adaptive one (early stopping, sequential seeds)", e.getMessage());
  }
}
