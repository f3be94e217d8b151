package dev.lossbench.workflows.matrix;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixErrorsTest {
  @TempDir
  Path temp;

  private MatrixException mistakes(String yaml) {
    MatrixParser parser = new MatrixParser(Map.of("DATA", temp.toString()));
    return assertThrows(MatrixException.class, () -> parser.read(yaml, "bad.yaml", temp));
  }

  /** {@code line:column field} of each problem, for exact comparisons. */
  private static List<String> where(MatrixException e) {
    return e.problems().stream().map(p -> p.line() + ":" + p.column() + " " + p.field()).toList();
  }

  @Test
  void reportsEveryMistakeAtOnceWithItsLine() {
    MatrixException e = mistakes("""
        name: Bad Name
        colour: red
        max_parallel_runs: 0
        datasets:
          - name: scenes
            kind: synthetic
          - name: scenes
            kind: synthetic
            params: {seed: 2}
          - name: noisy
            kind: synthetic
            params: {noise: -1, trains: 5}
          - name: real
            kind: precomp
            path: ${LOSSBENCH_TEST_UNSET}
          - name: movies
            kind: msrvtt
            path: /definitely/not/here
            protocols: [coco1k]
          - kind: imagenet
        models:
          - vse-huge
          - {name: vse-mean, embed_dim: 0}
        losses: []
        seeds: [1, 1, -2]
        training:
          epochs: [2, 4]
          lr: fast
          momentum: 0.9
        """);
    assertEquals(List.of(
        "1:7 name",
        "2:1 colour",
        "3:20 max_parallel_runs",
        "7:5 datasets[1].name",
        "12:21 datasets[2].params.noise",
        "12:25 datasets[2].params.trains",
        "15:11 datasets[3].path",
        "18:11 datasets[4].path",
        "19:17 datasets[4].protocols[0]",
        "20:5 datasets[5].name",
        "20:11 datasets[5].kind",
        "22:5 models[0]",
        "23:33 models[1].embed_dim",
        "24:9 losses",
        "25:12 seeds[1]",
        "25:15 seeds[2]",
        "27:11 training.epochs",
        "28:7 training.lr",
        "29:3 training.momentum"), where(e), e.getMessage());

    List<String> lines = e.getMessage().lines().toList();
    assertEquals(e.problems().size(), lines.size(), "one line per problem");
    assertEquals("bad.yaml:1:7: name: 'Bad Name' is not a valid name: expected the benchmark's name matching"
        + " [a-z0-9][a-z0-9._-]{0,62} (it becomes part of workflow ids)", lines.get(0));
    assertEquals("bad.yaml:2:1: colour: unknown key 'colour': expected one of name, description, baseline,"
        + " max_parallel_runs, datasets, models, losses, seeds, training, study, adaptive", lines.get(1));
    assertEquals("bad.yaml:3:20: max_parallel_runs: matrix: max_parallel_runs=0 is not allowed: expected an"
        + " integer >= 1", lines.get(2));
    assertEquals("bad.yaml:7:5: datasets[1].name: duplicate dataset name 'scenes' (first at line 5): expected"
        + " unique names", lines.get(3));
    assertEquals("bad.yaml:12:21: datasets[2].params.noise: synthetic dataset: noise=-1 is not allowed: expected"
        + " a number >= 0", lines.get(4));
    assertTrue(lines.get(5).contains("synthetic dataset: unknown key 'trains': expected one of train_images,"),
        lines.get(5));
    assertEquals("bad.yaml:15:11: datasets[3].path: environment variable LOSSBENCH_TEST_UNSET is not set: expected"
        + " it to name the data directory (export LOSSBENCH_TEST_UNSET=/path/to/data)", lines.get(6));
    assertTrue(lines.get(7).startsWith("bad.yaml:18:11: datasets[4].path: /definitely/not/here does not exist:"
        + " expected a msrvtt directory holding MSRVTT_train.9k.csv,"), lines.get(7));
    assertEquals("bad.yaml:19:17: datasets[4].protocols[0]: coco1k is not a protocol of msrvtt data: expected one"
        + " of msrvtt1ka, gap (coco1k reads a precomp directory's testall split)", lines.get(8));
    assertTrue(lines.get(9).endsWith("datasets[5].name: missing: expected the dataset's name, unique in the matrix,"
        + " matching [a-z0-9][a-z0-9._-]{0,62}"), lines.get(9));
    assertEquals("bad.yaml:20:11: datasets[5].kind: unknown dataset kind 'imagenet': expected one of synthetic,"
        + " precomp, msrvtt, karpathy, synthetic-images", lines.get(10));
    assertEquals("bad.yaml:22:5: models[0]: unknown model 'vse-huge': expected one of vse-gpo, vse-mean, vse-max,"
        + " meanp, frozen-mlp, torchscript", lines.get(11));
    assertEquals("bad.yaml:23:33: models[1].embed_dim: model vse-mean: embed_dim=0 is not allowed: expected an"
        + " integer >= 1", lines.get(12));
    assertTrue(lines.get(13).endsWith("losses: empty list: expected at least one of losses (spec strings or maps"
        + " with a name)"), lines.get(13));
    assertEquals("bad.yaml:25:12: seeds[1]: seed 1 is listed twice (first at line 25): expected distinct seeds",
        lines.get(14));
    assertEquals("bad.yaml:25:15: seeds[2]: seeds: seed=-2 is not allowed: expected an integer >= 0", lines.get(15));
    assertEquals("bad.yaml:27:11: training.epochs: expected an integer >= 1, got a list (training settings are"
        + " shared by every cell and do not sweep: write one matrix per setting to compare them)", lines.get(16));
    assertEquals("bad.yaml:28:7: training.lr: training: lr=fast is not allowed: expected a number > 0", lines.get(17));
    assertTrue(lines.get(18).startsWith("bad.yaml:29:3: training.momentum: training: unknown key 'momentum':"
        + " expected one of epochs, batch_size, lr,"), lines.get(18));
  }

  @Test
  void lossMistakesNameTheKeyTheValueAndTheAllowedRange() {
    MatrixException e = mistakes("""
        name: q
        datasets: [{name: s, kind: synthetic}]
        models: [vse-gpo]
        losses:
          - unified:gamma=0
          - {name: unified, gamma: [20, -1, oops], gama: 3}
          - {gamma: 3}
          - softmax
          - {name: infonce, tau: {a: 1}}
          - triplet-hn
          - triplet-hn:margin=0.20
          - {name: unified, gamma: [50, 50.0]}
          - {name: circle, margin: []}
        """);
    assertEquals(List.of(
        "5:5 losses[0]",
        "6:33 losses[1].gamma[1]",
        "6:37 losses[1].gamma[2]",
        "6:50 losses[1].gama",
        "7:5 losses[2].name",
        "8:5 losses[3]",
        "9:26 losses[4].tau",
        "11:5 losses[6]",
        "12:5 losses[7]",
        "13:28 losses[8].margin"), where(e), e.getMessage());
    List<String> lines = e.getMessage().lines().toList();
    assertEquals("bad.yaml:5:5: losses[0]: unified: gamma=0 is not allowed: expected a number > 0", lines.get(0));
    assertEquals("bad.yaml:6:50: losses[1].gama: unified: unknown key 'gama': expected one of gamma, margin,"
        + " normalize, reduction, directions", lines.get(3));
    assertEquals("bad.yaml:7:5: losses[2].name: missing: expected the loss's name", lines.get(4));
    assertEquals("bad.yaml:11:5: losses[6]: same loss as losses[5] (line 10): triplet-hn:directions=sum,margin=0.2,"
        + "reduction=sum,warmup_epochs=0; expected each loss once", lines.get(7));
    assertTrue(lines.get(8).contains("the sweep gives unified:directions=mean,gamma=50,"), lines.get(8));
    assertTrue(lines.get(9).contains("empty list: expected a value or a non-empty list of values to sweep"),
        lines.get(9));
  }

  @Test
  void missingDataPathAndMissingFilesAreNamed() throws Exception {
    Path partial = temp.resolve("coco");
    DataDirectories.touch(partial.resolve("train_ims.npy"));
    DataDirectories.touch(partial.resolve("train_caps.txt"));
    DataDirectories.touch(partial.resolve("dev_ims.npy"));
    Files.writeString(temp.resolve("plain-file"), "x");
    MatrixException e = mistakes("""
        name: q
        datasets:
          - {name: a, kind: precomp, path: nowhere}
          - {name: b, kind: precomp, path: "${DATA}/coco", protocols: [coco1k, coco5k]}
          - {name: c, kind: precomp, path: plain-file}
          - {name: d, kind: precomp}
        models: [vse-gpo]
        losses: [triplet-hn]
        """);
    List<String> lines = e.getMessage().lines().toList();
    assertEquals(4, lines.size(), e.getMessage());
    assertEquals("bad.yaml:3:36: datasets[0].path: " + temp.resolve("nowhere") + " does not exist: expected a precomp"
        + " directory holding the precomp files {split}_ims.npy and {split}_caps.txt for splits train, dev, test",
        lines.get(0));
    assertEquals("bad.yaml:4:36: datasets[1].path: " + partial + " (from ${DATA}/coco) has no dev_caps.txt,"
        + " testall_ims.npy, testall_caps.txt: expected the precomp files {split}_ims.npy and {split}_caps.txt for"
        + " splits train, dev, testall", lines.get(1));
    assertTrue(lines.get(2).startsWith("bad.yaml:5:36: datasets[2].path: " + temp.resolve("plain-file")
        + " is a file: expected a precomp directory"), lines.get(2));
    assertTrue(lines.get(3).startsWith("bad.yaml:6:5: datasets[3].path: missing: expected the precomp data"
        + " directory"), lines.get(3));
  }

  @Test
  void unsetAndEmptyEnvironmentVariablesAreNamed() {
    MatrixParser parser = new MatrixParser(Map.of("EMPTY", ""));
    MatrixException e = assertThrows(MatrixException.class, () -> parser.read("""
        name: q
        datasets:
          - {name: a, kind: msrvtt, path: "${MSRVTT_UNSET_FOR_TEST}/x/${EMPTY}"}
          - {name: b, kind: precomp, path: "${1BAD}"}
          - {name: c, kind: precomp, path: "${OPEN"}
        models: [meanp]
        losses: [infonce]
        """, "env.yaml", temp));
    List<String> lines = e.getMessage().lines().toList();
    assertEquals(List.of(
        "env.yaml:3:35: datasets[0].path: environment variable MSRVTT_UNSET_FOR_TEST is not set: expected it to name"
            + " the data directory (export MSRVTT_UNSET_FOR_TEST=/path/to/data)",
        "env.yaml:3:35: datasets[0].path: environment variable EMPTY is not set (it is empty): expected it to name"
            + " the data directory (export EMPTY=/path/to/data)",
        "env.yaml:4:36: datasets[1].path: '${1BAD}' is not an environment variable reference: expected ${NAME} with"
            + " NAME of letters, digits and _",
        "env.yaml:5:36: datasets[2].path: '${OPEN' has an unterminated '${': expected ${NAME}"), lines);
  }

  @Test
  void baselineThatMatchesNoLossOrSeveralIsRejected() {
    String m = """
        name: q
        baseline: %s
        datasets: [{name: s, kind: synthetic}]
        models: [vse-gpo]
        losses: [triplet-hn, {name: unified, gamma: [20, 30]}]
        """;
    assertEquals(List.of("bad.yaml:2:11: baseline: 'circle' matches no loss of the matrix: expected one of"
        + " triplet-hn, unified:gamma=20, unified:gamma=30 (a label, or the name of a loss with one variant)"),
        mistakes(m.formatted("circle")).getMessage().lines().toList());
    assertEquals(List.of("bad.yaml:2:11: baseline: 'unified' names 2 variants: expected one label of triplet-hn,"
        + " unified:gamma=20, unified:gamma=30"), mistakes(m.formatted("unified")).getMessage().lines().toList());
    assertEquals(List.of("bad.yaml:2:11: baseline: 'triplet-hn:margin=0.3' matches no loss of the matrix: expected"
        + " one of triplet-hn, unified:gamma=20, unified:gamma=30 (a label, or the name of a loss with one variant)"),
        mistakes(m.formatted("triplet-hn:margin=0.3")).getMessage().lines().toList());
  }

  @Test
  void aDefaultBaselineThatNamesSeveralVariantsMustBeChosen() {
    MatrixException e = mistakes("""
        name: q
        datasets: [{name: s, kind: synthetic}]
        models: [vse-gpo]
        losses: [{name: triplet-hn, margin: [0.1, 0.3]}]
        """);
    assertEquals("bad.yaml:4:9: baseline: no baseline given and the default 'triplet-hn' names 2 variants: expected"
        + " a line 'baseline: LABEL' naming one of triplet-hn:margin=0.1, triplet-hn:margin=0.3", e.getMessage());
  }

  @Test
  void yamlSyntaxErrorsGiveTheParsersPosition() {
    MatrixException e = mistakes("""
        name: q
        datasets:
          - name: s
            kind: synthetic
         models: [vse-gpo]
        losses: [triplet-hn
        """);
    assertEquals(1, e.problems().size(), e.getMessage());
    MatrixProblem p = e.problems().get(0);
    assertEquals("(yaml)", p.field());
    assertEquals(5, p.line(), e.getMessage());
    assertEquals("bad.yaml:5:2: (yaml): invalid YAML: while parsing a block mapping at line 1, expected <block end>,"
        + " but found '<block mapping start>': expected a well-formed YAML document", e.getMessage());

    MatrixException unclosed = mistakes("name: q\nlosses: [triplet-hn\n");
    assertEquals("(yaml)", unclosed.problems().get(0).field());
    assertEquals(3, unclosed.problems().get(0).line(), unclosed.getMessage());
    MatrixException tab = mistakes("name: q\n\tdatasets: []\n");
    assertEquals("bad.yaml:2:1: (yaml): invalid YAML: while scanning for the next token, found character '\\t(TAB)'"
        + " that cannot start any token. (Do not use \\t(TAB) for indentation): expected a well-formed YAML document",
        tab.getMessage());
  }

  @Test
  void duplicateKeysEmptyFilesAndWrongShapesAreReported() {
    MatrixException dup = mistakes("""
        name: q
        name: r
        datasets: s
        models: {vse-gpo: 1}
        losses: [[triplet-hn]]
        seeds: {a: 1}
        training: [1]
        """);
    assertEquals(List.of(
        "bad.yaml:2:1: name: duplicate key 'name' (first at line 1): expected each key once",
        "bad.yaml:3:11: datasets: got 's': expected a list of datasets (maps with name, kind and the kind's keys)",
        "bad.yaml:4:9: models: got a mapping: expected a list of models (spec strings or maps with a name)",
        "bad.yaml:5:10: losses[0]: expected a loss spec (NAME or NAME:key=value,...) or a map with a name, got a list",
        "bad.yaml:6:8: seeds: sequential seeds without min: expected {min: N, max: M, step: S} with 2 <= N <= M"
            + " (step default 1)",
        "bad.yaml:6:9: seeds.a: unknown key 'a': expected min, max and step (sequential seeds: seeds 1..max, a look at"
            + " min, min+step, …, max)",
        "bad.yaml:7:11: training: expected a map of training settings (epochs, batch_size, lr, schedule,"
            + " lr_decay_epoch, lr_decay, warmup, weight_decay, grad_clip, reset_optimizer_on_loss_switch,"
            + " checkpoint_every_steps, max_steps_per_epoch, train_subset, checkpoints), got a list"),
        dup.getMessage().lines().toList());

    assertEquals("bad.yaml:1:1: (matrix): the file is empty: expected a mapping with the keys name, description,"
        + " baseline, max_parallel_runs, datasets, models, losses, seeds, training, study, adaptive",
        mistakes("# nothing\n").getMessage());
    assertEquals(List.of("1:1 (matrix)"), where(mistakes("- a\n- b\n")));
    List<String> missing = mistakes("description: only\n").getMessage().lines().toList();
    assertEquals(List.of(
        "bad.yaml:1:1: name: missing: expected the benchmark's name matching [a-z0-9][a-z0-9._-]{0,62}",
        "bad.yaml:1:1: datasets: missing: expected a list of datasets (maps with name, kind and the kind's keys)",
        "bad.yaml:1:1: models: missing: expected a list of models (spec strings or maps with a name)",
        "bad.yaml:1:1: losses: missing: expected a list of losses (spec strings or maps with a name)"), missing);
  }

  @Test
  void syntheticRulesBetweenKnobsAreReportedAtTheParams() {
    MatrixException e = mistakes("""
        name: q
        datasets:
          - name: s
            kind: synthetic
            params: {min_objects: 5, max_objects: 2, noise: [1, 2]}
            path: /tmp
        models: [vse-gpo]
        losses: [triplet-hn]
        """);
    assertEquals(List.of(
        "bad.yaml:5:53: datasets[0].params.noise: expected a value, got a list (a dataset's knobs do not sweep)",
        "bad.yaml:6:5: datasets[0].path: unknown key 'path' for a synthetic dataset: expected one of name, kind,"
            + " params, protocols, init, losses"),
        e.getMessage().lines().toList());
    MatrixException rule = mistakes("""
        name: q
        datasets:
          - name: s
            kind: synthetic
            params: {min_objects: 5, max_objects: 2}
        models: [vse-gpo]
        losses: [triplet-hn]
        """);
    assertEquals("bad.yaml:5:13: datasets[0].params: synthetic dataset: objects per image need 1 <= min <= max,"
        + " got min 5, max 2", rule.getMessage());
  }

  @Test
  void aMissingMatrixFileIsOneProblem() {
    Path nowhere = temp.resolve("no.yaml");
    MatrixException e = assertThrows(MatrixException.class, () -> new MatrixParser(Map.of()).read(nowhere));
    assertEquals(nowhere + ": (file): does not exist: expected a matrix file (YAML)", e.getMessage());
  }
}
