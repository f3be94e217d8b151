package dev.lossbench.workflows.matrix;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Datasets with {@code init:}: fine-tuning stages, their order, parents, identities and mistakes. */
class StagesTest {
  @TempDir
  Path temp;

  static final String MATRIX = """
      name: transfer
      datasets:
        - name: target
          kind: synthetic
          params: {train_images: 100, domain: 1}
          init: {from: source, loss: infonce, freeze: [text.embedding]}
        - name: source
          kind: synthetic
          params: {train_images: 300}
      models: [vse-mean:embed_dim=64]
      losses: [infonce, triplet-hn]
      seeds: [1, 2]
      training: {epochs: 2}
      """;

  private BenchmarkSpec parse(String yaml) {
    return new MatrixParser(Map.of()).read(yaml, "m.yaml", temp);
  }

  private List<String> mistakes(String yaml) {
    MatrixException e = assertThrows(MatrixException.class, () -> parse(yaml));
    return e.getMessage().lines().toList();
  }

  @Test
  void parentsComeFirstAndEachFineTuningCellStartsFromTheSameModelAndSeedOfTheNamedLoss() {
    BenchmarkSpec spec = parse(MATRIX);
    List<Cell> cells = spec.cells();
    assertEquals(8, cells.size());
    assertEquals(List.of("source", "target"), spec.stageOrder().stream().map(DatasetSpec::name).toList());
    Map<String, Cell> byId = cells.stream().collect(Collectors.toMap(Cell::id, c -> c));
    for (int i = 0; i < cells.size(); i++) {
      Cell c = cells.get(i);
      if (c.dataset().name().equals("source")) {
        assertNull(c.parent());
        continue;
      }
      Cell parent = byId.get(c.parent());
      assertNotNull(parent, c.description());
      assertTrue(cells.indexOf(parent) < i, "parent before child");
      assertEquals("source", parent.dataset().name());
      assertEquals(c.model(), parent.model());
      assertEquals(c.seed(), parent.seed());
      assertEquals("infonce", parent.lossLabel());
      assertEquals(List.of("text.embedding"), c.freeze());
      assertTrue(c.canonicalText().contains("init parent " + parent.id() + " freeze text.embedding"));
    }
    assertEquals(spec, BenchmarkSpec.fromCanonicalJson(spec.toCanonicalJson()));
    assertEquals(spec.cells(), BenchmarkSpec.fromCanonicalJson(spec.toCanonicalJson()).cells());
  }

  @Test
  void withoutALossEachCellStartsFromItsOwnVariantAndTheParentEntersTheChildsId() {
    BenchmarkSpec spec = parse(MATRIX.replace("loss: infonce, ", ""));
    Map<String, Cell> byId = spec.cells().stream().collect(Collectors.toMap(Cell::id, c -> c));
    spec.cells().stream().filter(c -> c.parent() != null)
        .forEach(c -> assertEquals(c.loss(), byId.get(c.parent()).loss()));
    // changing the parent stage changes every child's id; changing a child leaves the parents alone
    List<String> base = ids(parse(MATRIX), "target");
    assertTrue(ids(parse(MATRIX.replace("train_images: 300", "train_images: 301")), "target").stream()
        .noneMatch(base::contains));
    assertTrue(ids(parse(MATRIX.replace("[text.embedding]", "[text]")), "target").stream().noneMatch(base::contains));
    assertEquals(ids(parse(MATRIX), "source"), ids(parse(MATRIX.replace("domain: 1", "domain: 2")), "source"));
  }

  private static List<String> ids(BenchmarkSpec spec, String dataset) {
    return spec.cells().stream().filter(c -> c.dataset().name().equals(dataset)).map(Cell::id).toList();
  }

  @Test
  void aMatrixWithoutStagesKeepsItsIds() {
    BenchmarkSpec spec = parse(
        MATRIX.replace("    init: {from: source, loss: infonce, freeze: [text.embedding]}\n", ""));
    assertTrue(spec.cells().stream().allMatch(c -> c.parent() == null));
    Cell c = spec.cells().get(0);
    assertEquals(new Cell(c.dataset(), c.model(), c.loss(), c.seed(), c.training()).canonicalText(), c.canonicalText());
    assertFalse(c.canonicalText().contains("init"));
  }

  @Test
  void unknownDatasetsLossesSelfReferencesAndCyclesAreMatrixErrors() {
    assertEquals(List.of("m.yaml:3:5: datasets[0].init: init.from: unknown dataset 'sorce': expected one of source"),
        mistakes(MATRIX.replace("from: source", "from: sorce")));
    assertEquals(List.of("m.yaml:3:5: datasets[0].init: init.loss: unified is not a loss variant of the matrix"
        + " (the parent cells must exist): expected one of infonce, triplet-hn"),
        mistakes(MATRIX.replace("loss: infonce,", "loss: unified,")));
    assertEquals(List.of("m.yaml:3:5: datasets[0].init: init.from names the dataset itself: expected another dataset"
        + " of the matrix"), mistakes(MATRIX.replace("from: source", "from: target")));
    List<String> cycle = mistakes(MATRIX.replace("params: {train_images: 300}",
        "params: {train_images: 300}\n    init: {from: target}"));
    assertEquals(1, cycle.size(), cycle.toString());
    assertTrue(cycle.get(0).contains("datasets start from each other in a cycle (target → source → target)"),
        cycle.get(0));
    List<String> keys = mistakes(MATRIX.replace("freeze: [text.embedding]", "frozen: [text]"));
    assertTrue(keys.get(0).contains("unknown key 'frozen': expected one of from, loss, checkpoint, freeze"),
        keys.toString());
    List<String> noFrom = mistakes(MATRIX.replace("from: source, ", ""));
    assertTrue(noFrom.get(0).contains("missing: expected the name of the dataset"), noFrom.toString());
  }

  static final String FROM_FILE = """
      name: from-file
      datasets:
        - name: target
          kind: synthetic
          params: {train_images: 100}
          init: {checkpoint: ckpt/best.ckpt, freeze: [image]}
      models: [vse-mean:embed_dim=64]
      losses: [infonce, triplet-hn]
      seeds: [1]
      """;

  private Path checkpointFile(String body) throws java.io.IOException {
    Path file = temp.resolve("ckpt/best.ckpt");
    java.nio.file.Files.createDirectories(file.getParent());
    java.nio.file.Files.writeString(file, "LBCKPT01" + body);
    return file;
  }

  @Test
  void aCheckpointFileStartsEveryCellOfItsDatasetAndItsBytesEnterTheCellIds() throws Exception {
    Path file = checkpointFile("weights one");
    BenchmarkSpec spec = parse(FROM_FILE);
    for (Cell c : spec.cells()) {
      assertNull(c.parent());
      assertEquals(file.toString(), c.initCheckpoint());
      assertEquals(List.of("image"), c.freeze());
      assertTrue(c.canonicalText().contains("\ninit checkpoint sha256 "), c.canonicalText());
    }
    assertEquals(spec.cells(), BenchmarkSpec.fromCanonicalJson(spec.toCanonicalJson()).cells());
    List<String> before = ids(spec, "target");
    // the same bytes elsewhere: same cells; other bytes: other cells
    java.nio.file.Files.move(file.getParent(), temp.resolve("moved"));
    assertEquals(before, ids(parse(FROM_FILE.replace("ckpt/", "moved/")), "target"));
    java.nio.file.Files.writeString(temp.resolve("moved/best.ckpt"), "LBCKPT01weights two");
    assertTrue(ids(parse(FROM_FILE.replace("ckpt/", "moved/")), "target").stream().noneMatch(before::contains));
    assertTrue(ids(parse(FROM_FILE.replace("[image]", "[text]").replace("ckpt/", "moved/")), "target").stream()
        .noneMatch(before::contains));
  }

  @Test
  void aMissingOrForeignCheckpointFileAndAmbiguousInitsAreMatrixErrors() throws Exception {
    List<String> missing = mistakes(FROM_FILE);
    assertEquals(1, missing.size(), missing.toString());
    assertTrue(missing.get(0).startsWith("m.yaml:6:24: datasets[0].init.checkpoint: " + temp.resolve("ckpt/best.ckpt")
        + " does not exist: expected a lossbench checkpoint file"), missing.get(0));
    Path file = temp.resolve("ckpt/best.ckpt");
    java.nio.file.Files.createDirectories(file.getParent());
    java.nio.file.Files.writeString(file, "PK\u0003\u0004 a zip, not ours");
    List<String> foreign = mistakes(FROM_FILE);
    assertTrue(foreign.get(0).contains("is not a lossbench checkpoint (its first bytes are not LBCKPT01)"),
        foreign.toString());
    checkpointFile("ok");
    List<String> both = mistakes(FROM_FILE.replace("{checkpoint:", "{from: target, checkpoint:"));
    assertTrue(both.get(0).contains("init has both from and checkpoint: expected one place to start from"),
        both.toString());
    List<String> loss = mistakes(FROM_FILE.replace("{checkpoint:", "{loss: infonce, checkpoint:"));
    assertTrue(
        loss.get(0).contains("init.loss chooses the parent cells of init.from: it has no meaning with a checkpoint"),
        loss.toString());
    MatrixException e = assertThrows(MatrixException.class, () -> new MatrixParser(Map.of()).read(
        FROM_FILE.replace("ckpt/best.ckpt", "\"${CKPT_DIR}/best.ckpt\""), "m.yaml", temp));
    assertTrue(e.getMessage().contains("environment variable CKPT_DIR is not set"), e.getMessage());
    assertEquals(ids(parse(FROM_FILE), "target"),
        ids(new MatrixParser(Map.of("CKPT_DIR", temp.resolve("ckpt").toString()))
            .read(FROM_FILE.replace("ckpt/best.ckpt", "\"${CKPT_DIR}/best.ckpt\""), "m.yaml", temp), "target"));
  }

  @Test
  void aDatasetsOwnLossesRestrictItsCellsAndTheirChildrenMustFindParents() {
    String pretrainOnce = MATRIX.replace("params: {train_images: 300}",
        "params: {train_images: 300}\n    losses: [infonce]");
    BenchmarkSpec spec = parse(pretrainOnce);
    List<Cell> source = spec.cells().stream().filter(c -> c.dataset().name().equals("source")).toList();
    assertEquals(List.of("infonce", "infonce"), source.stream().map(Cell::lossLabel).toList());
    assertEquals(6, spec.cells().size(), "2 source cells, 4 target cells");
    // restricting a stage leaves the ids of the cells it keeps (and of their children) alone
    assertTrue(ids(parse(MATRIX), "source").containsAll(ids(spec, "source")));
    assertEquals(ids(parse(MATRIX), "target"), ids(spec, "target"));
    assertEquals(spec.cells(), BenchmarkSpec.fromCanonicalJson(spec.toCanonicalJson()).cells());

    List<String> orphans = mistakes(pretrainOnce.replace("loss: infonce, ", ""));
    assertEquals(1, orphans.size(), orphans.toString());
    assertTrue(
        orphans.get(0).contains("init: dataset source does not train with triplet-hn (its losses: infonce), so these"
            + " cells would have no parent"),
        orphans.get(0));
    List<String> unknown = mistakes(MATRIX.replace("params: {train_images: 300}",
        "params: {train_images: 300}\n    losses: [unified]"));
    assertTrue(
        unknown.get(0)
            .contains("losses: unified is not a loss variant of the matrix: expected some of infonce, triplet-hn"),
        unknown.toString());
  }
}
