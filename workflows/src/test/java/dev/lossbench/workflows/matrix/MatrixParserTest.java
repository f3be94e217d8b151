package dev.lossbench.workflows.matrix;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.data.DatasetKind;
import dev.lossbench.retrieval.data.SyntheticConfig;
import dev.lossbench.retrieval.eval.EvaluationProtocol;
import dev.lossbench.retrieval.loss.LossSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixParserTest {
  @TempDir
  Path temp;

  private static final String MATRIX = """
      name: small
      description: two datasets, a sweep
      datasets:
        - name: scenes
          kind: synthetic
          params: {train_images: 300, noise: 0.5, seed: 7}
        - name: f30k
          kind: precomp
          path: ${DATA}/f30k
          captions_per_image: 5
      models:
        - vse-mean:embed_dim=256
      losses:
        - triplet-hn
        - infonce:tau=0.05
        - {name: unified, gamma: [20, 50], margin: [0, 0.2]}
      seeds: [3, 1]
      training: {epochs: 2, batch_size: 64, lr: 5e-4}
      """;

  private BenchmarkSpec parse(String yaml) {
    return new MatrixParser(Map.of("DATA", temp.toString())).read(yaml, "m.yaml", temp);
  }

  private void f30k() {
    for (String split : List.of("train", "dev", "test")) {
      DataDirectories.touch(temp.resolve("f30k/" + split + "_ims.npy"));
      DataDirectories.touch(temp.resolve("f30k/" + split + "_caps.txt"));
    }
  }

  @Test
  void expandsIntoCellsInDatasetModelLossSeedOrder() {
    f30k();
    BenchmarkSpec spec = parse(MATRIX);
    assertEquals("small", spec.name());
    assertEquals("two datasets, a sweep", spec.description());
    assertEquals("triplet-hn", spec.baseline());
    assertEquals(1, spec.maxParallelRuns());
    assertEquals(List.of(3L, 1L), spec.seeds());

    // 2 datasets × 1 model × (1 + 1 + 2·2) losses × 2 seeds
    List<Cell> cells = spec.cells();
    assertEquals(2 * 6 * 2, cells.size());
    List<String> losses = spec.lossSpecs().stream().map(LossSpec::label).toList();
    assertEquals(List.of("triplet-hn", "infonce:tau=0.05", "unified:gamma=20,margin=0", "unified:gamma=20,margin=0.2",
        "unified:margin=0", "unified:margin=0.2"), losses);
    int i = 0;
    for (String dataset : List.of("scenes", "f30k")) {
      for (String loss : losses) {
        for (long seed : List.of(3L, 1L)) {
          Cell c = cells.get(i++);
          assertEquals(dataset, c.dataset().name());
          assertEquals(loss, c.lossLabel());
          assertEquals(seed, c.seed());
          assertEquals("vse-mean:embed_dim=256", c.modelLabel());
        }
      }
    }
    assertEquals(cells.size(), cells.stream().map(Cell::id).distinct().count(), "cell ids are distinct");
    assertTrue(cells.stream().allMatch(c -> c.id().matches("[0-9a-f]{20}")));

    DatasetSpec scenes = spec.datasets().get(0);
    assertEquals(DatasetKind.SYNTHETIC, scenes.kind());
    assertEquals(SyntheticConfig.defaults().withImages(300, 500, 1000).withNoise(0.5).withSeed(7), scenes.synthetic());
    assertEquals(List.of(EvaluationProtocol.TEST), scenes.protocols());
    DatasetSpec f30k = spec.datasets().get(1);
    assertEquals(temp.resolve("f30k").toAbsolutePath().normalize().toString(), f30k.path());
    assertEquals(5, f30k.captionsPerImage());
    assertTrue(f30k.id().startsWith("precomp-"));

    assertEquals(2, cells.get(0).trainingConfig().epochs());
    assertEquals(64, cells.get(0).trainingConfig().batchSize());
    assertEquals(5e-4, cells.get(0).trainingConfig().lr());
    assertEquals(15, cells.get(0).trainingConfig().lrDecayEpoch(), "unset keys keep their defaults");
  }

  @Test
  void idsAreStableAndIndependentOfKeyOrderAndSpelling() {
    f30k();
    BenchmarkSpec a = parse(MATRIX);
    BenchmarkSpec again = parse(MATRIX);
    assertEquals(ids(a), ids(again));
    assertEquals(a.specHash(), again.specHash());
    assertEquals(a, again);

    // keys reordered everywhere, numbers spelled differently, the sweep written as a list of gammas in
    // another key order; the dataset renamed (names are not identities)
    String respelled = """
        training: {lr: 0.0005, batch_size: 64.0, epochs: 2}
        seeds: [3, 1]
        losses:
          - triplet-hn:margin=0.2
          - {tau: 5.0e-2, name: infonce}
          - {margin: [0.0, 0.20], name: unified, gamma: [20.0, 50]}
        models:
          - {embed_dim: 256, name: vse-mean}
        datasets:
          - params: {seed: 7, noise: 0.50, train_images: 300}
            kind: synthetic
            name: scenes-renamed
          - {kind: precomp, name: f30k, path: "${DATA}/./f30k", captions_per_image: 5}
        description: other words
        name: small
        """;
    BenchmarkSpec b = parse(respelled);
    assertEquals(ids(a), ids(b));
    assertEquals(a.specHash(), b.specHash());
  }

  @Test
  void everyResultAffectingChangeChangesTheIds() {
    f30k();
    Set<String> base = Set.copyOf(ids(parse(MATRIX)));
    for (String[] change : new String[][]{
        {"lr: 5e-4", "lr: 1e-4"},
        {"epochs: 2", "epochs: 3"},
        {"lr: 5e-4", "lr: 5e-4, train_subset: 0.5"},
        {"noise: 0.5", "noise: 0.6"},
        {"noise: 0.5", "noise: 0.5, domain: 1"},
        {"noise: 0.5", "noise: 0.5, domain: 1, projection_shift: 0.25"},
        {"captions_per_image: 5", "captions_per_image: 4"},
        {"vse-mean:embed_dim=256", "vse-mean:embed_dim=128"},
    }) {
      BenchmarkSpec changed = parse(MATRIX.replace(change[0], change[1]));
      Set<String> ids = Set.copyOf(ids(changed));
      // the data change touches one dataset's cells only; the others touch every cell
      boolean oneDataset = change[0].startsWith("noise") || change[0].startsWith("captions");
      if (change[1].contains("projection_shift")) {
        assertNotEquals(ids(parse(MATRIX.replace(change[0], "noise: 0.5, domain: 1"))), ids(changed));
      }
      assertEquals(oneDataset ? 12 : 0, ids.stream().filter(base::contains).count(), change[0] + " → " + change[1]);
    }
    // a new seed adds cells and keeps the others
    Set<String> more = Set.copyOf(ids(parse(MATRIX.replace("seeds: [3, 1]", "seeds: [3, 1, 2]"))));
    assertTrue(more.containsAll(base));
    assertEquals(base.size() * 3 / 2, more.size());
  }

  @Test
  void specHashIgnoresOrderDescriptionBaselineAndParallelismButNotTheRuns() {
    f30k();
    BenchmarkSpec a = parse(MATRIX);
    BenchmarkSpec reordered = parse(MATRIX.replace("seeds: [3, 1]", "seeds: [1, 3]")
        .replace("description: two datasets, a sweep", "description: else\nbaseline: infonce\nmax_parallel_runs: 3"));
    assertEquals("infonce:tau=0.05", reordered.baseline());
    assertEquals(3, reordered.maxParallelRuns());
    assertNotEquals(ids(a), ids(reordered), "cell order follows the file");
    assertEquals(a.specHash(), reordered.specHash());
    assertNotEquals(a.specHash(), parse(MATRIX.replace("seeds: [3, 1]", "seeds: [3]")).specHash());
    assertNotEquals(a.specHash(), parse(MATRIX.replace("name: small", "name: small2")).specHash());
  }

  @Test
  void seedsMayBeACountAndTrainingAndSeedsMayBeLeftOut() {
    BenchmarkSpec spec = parse("""
        name: q
        datasets: [{name: s, kind: synthetic}]
        models: [vse-gpo]
        losses: [unified, triplet]
        seeds: 3
        """);
    assertEquals(List.of(1L, 2L, 3L), spec.seeds());
    assertEquals(SyntheticConfig.defaults(), spec.datasets().get(0).synthetic());
    assertEquals("unified", spec.baseline(), "no triplet-hn: the first loss listed");
    BenchmarkSpec defaults = parse("""
        name: q
        datasets: [{name: s, kind: synthetic}]
        models: [vse-gpo]
        losses: [triplet-hn:warmup_epochs=1, infonce]
        """);
    assertEquals(List.of(1L), defaults.seeds());
    assertEquals(dev.lossbench.retrieval.train.TrainingConfig.defaults(), defaults.trainingConfig());
    assertEquals("triplet-hn:warmup_epochs=1", defaults.baseline(), "the one triplet-hn variant");
  }

  @Test
  void baselineMayBeWrittenAsAnySpellingOfAVariant() {
    String m = """
        name: q
        baseline: %s
        datasets: [{name: s, kind: synthetic}]
        models: [vse-gpo]
        losses: [triplet-hn, {name: unified, gamma: [20, 50.0]}, infonce:tau=0.05]
        """;
    assertEquals("unified:gamma=20", parse(m.formatted("unified:gamma=20.0")).baseline());
    assertEquals("unified", parse(m.formatted("\"unified:gamma=50,margin=0.1\"")).baseline());
    assertEquals("unified", parse(m.formatted("unified")).baseline(), "a label match wins over a name");
    assertEquals("infonce:tau=0.05", parse(m.formatted("infonce")).baseline(), "a loss with one variant");
    assertEquals("triplet-hn", parse(m.formatted("triplet-hn:margin=0.2")).baseline());
  }

  @Test
  void modelSweepsAndLearnableFlagsExpandToo() {
    BenchmarkSpec spec = parse("""
        name: q
        datasets: [{name: s, kind: synthetic}]
        models: [{name: vse-gpo, embed_dim: [128, 256]}]
        losses: [{name: infonce, learnable: [false, true]}]
        """);
    assertEquals(List.of("vse-gpo:embed_dim=128", "vse-gpo:embed_dim=256"),
        spec.modelSpecs().stream().map(m -> m.label()).toList());
    assertEquals(List.of("infonce", "infonce:learnable=true"), spec.lossSpecs().stream().map(LossSpec::label).toList());
    assertEquals(4, spec.cells().size());
  }

  @Test
  void canonicalJsonReadsBackToTheSameSpec() {
    f30k();
    BenchmarkSpec spec = parse(MATRIX);
    String json = spec.toCanonicalJson();
    assertTrue(json.contains("\"label\":\"unified:gamma=20,margin=0.2\""), json);
    assertTrue(json.contains("\"lr\":0.0005"), "numbers in plain decimal: " + json);
    assertTrue(json.contains("\"spec_hash\":\"" + spec.specHash() + "\""));
    BenchmarkSpec back = BenchmarkSpec.fromCanonicalJson(json);
    assertEquals(spec, back);
    assertEquals(ids(spec), ids(back));
    assertEquals(json, back.toCanonicalJson());
    BenchmarkSpec shifted = parse(MATRIX.replace("noise: 0.5", "noise: 0.5, domain: 2, projection_shift: 0.75"));
    assertEquals(2, shifted.datasets().get(0).synthetic().domain());
    assertEquals(0.75, shifted.datasets().get(0).synthetic().projectionShift());
    assertEquals(shifted, BenchmarkSpec.fromCanonicalJson(shifted.toCanonicalJson()));
  }

  @Test
  void aCellsDatasetIdIgnoresProtocolsButItsIdDoesNot() {
    DataDirectories.precomp(temp, "train", "dev", "test", "testall");
    Path dir = temp.resolve("precomp-train-dev-test-testall");
    String m = """
        name: q
        datasets: [{name: c, kind: precomp, path: %s, protocols: %s}]
        models: [vse-gpo]
        losses: [triplet-hn]
        """;
    BenchmarkSpec one = parse(m.formatted(dir, "[coco1k]"));
    BenchmarkSpec two = parse(m.formatted(dir, "[coco1k, coco5k]"));
    assertEquals(one.datasets().get(0).id(), two.datasets().get(0).id());
    assertNotEquals(one.cells().get(0).id(), two.cells().get(0).id());
    assertEquals(EvaluationProtocol.COCO1K, two.datasets().get(0).primaryProtocol());
    assertEquals(List.of(EvaluationProtocol.MSRVTT1KA, EvaluationProtocol.GAP),
        EvaluationProtocol.forKind(DatasetKind.MSRVTT));
  }

  @Test
  void gapIsAllowedForEveryKindOfDataButNeverAsThePrimaryProtocol() {
    for (DatasetKind kind : DatasetKind.values()) {
      assertTrue(EvaluationProtocol.forKind(kind).contains(EvaluationProtocol.GAP), kind.id());
      assertNotEquals(EvaluationProtocol.GAP, EvaluationProtocol.forKind(kind).get(0),
          kind.id() + ": the default protocol");
    }
    String m = """
        name: q
        datasets: [{name: s, kind: synthetic, params: {train_images: 40}, protocols: %s}]
        models: [vse-mean]
        losses: [triplet-hn]
        """;
    BenchmarkSpec spec = parse(m.formatted("[test, gap]"));
    assertEquals(List.of(EvaluationProtocol.TEST, EvaluationProtocol.GAP), spec.datasets().get(0).protocols());
    assertEquals(EvaluationProtocol.TEST, spec.datasets().get(0).primaryProtocol());
    for (String first : List.of("[gap]", "[gap, test]")) {
      MatrixException e = assertThrows(MatrixException.class, () -> parse(m.formatted(first)));
      assertTrue(e.getMessage().contains("datasets[0].protocols[0]: gap cannot be a dataset's first (primary) protocol:"
          + " list the test protocol first, e.g. protocols: [test, gap]"), e.getMessage());
    }
    // the record refuses it too (a payload built in code)
    assertThrows(IllegalArgumentException.class, () -> new DatasetSpec("s", DatasetKind.SYNTHETIC, null,
        spec.datasets().get(0).synthetic(), 5, 0, List.of(EvaluationProtocol.GAP, EvaluationProtocol.TEST)));
  }

  private static List<String> ids(BenchmarkSpec spec) {
    return spec.cells().stream().map(Cell::id).collect(Collectors.toList());
  }
}
