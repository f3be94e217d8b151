package dev.lossbench.workers.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.MatrixParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registration records on each run row whether it validates on its test split (issue #16): an MSR-VTT
 * directory without {@code MSRVTT_val.csv} (CLIP4Clip's layout: the dev split is the 1k-A test split) flags its
 * runs, one with a validation file does not (synthetic data: {@code GapProtocolTest}); adding the file later does
 * not clear a flag already recorded.
 */
@ExtendWith(MetricsStoreExtension.class)
class RunRegistrationTest {
  @TempDir
  Path root;

  static Path msrvtt(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String f : List.of("MSRVTT_train.9k.csv", "MSRVTT_JSFUSION_test.csv", "MSRVTT_data.json",
        "frame_features.npy", "video_ids.txt")) {
      Files.createFile(dir.resolve(f));
    }
    return dir;
  }

  static BenchmarkSpec spec(String name, Path msrvtt) {
    return new MatrixParser(Map.of()).read("""
        name: %s
        datasets:
          - {name: videos, kind: msrvtt, path: "%s", protocols: [msrvtt1ka, gap]}
        models: [meanp]
        losses: [infonce, "unified:margin=0.2"]
        seeds: 2
        """.formatted(name, msrvtt), "registration.yaml", msrvtt.getParent());
  }

  @Test
  void msrvttWithoutAValidationFileRegistersItsRunsAsValidatingOnTest(MetricsStore store) throws IOException {
    Path noVal = msrvtt(root.resolve("no-val"));
    BenchmarkSpec spec = spec("dev-is-test", noVal);
    String benchmarkId = "benchmark-dev-is-test-" + spec.specHash();

    new StoreActivitiesImpl(store).registerCells(benchmarkId, spec);

    List<Run> runs = store.runs().byBenchmark(benchmarkId);
    assertEquals(4, runs.size(), "2 losses × 2 seeds");
    assertTrue(runs.stream().allMatch(Run::validationIsTest), runs.toString());

    // the file appears later: a re-submission does not clear what the runs were registered with
    Files.createFile(noVal.resolve("MSRVTT_val.csv"));
    new StoreActivitiesImpl(store).registerCells(benchmarkId, spec);
    assertEquals(4, store.runs().byBenchmark(benchmarkId).stream().filter(Run::validationIsTest).count());
  }

  /** The names the matrix gave its datasets are stored with the benchmark: the leaderboard, report and study read them. */
  @Test
  void registrationStoresTheMatrixsNamesOfItsDatasets(MetricsStore store) throws IOException {
    BenchmarkSpec spec = spec("named", msrvtt(root.resolve("named")));
    String benchmarkId = "benchmark-named-" + spec.specHash();

    new StoreActivitiesImpl(store).registerCells(benchmarkId, spec);

    assertEquals(Map.of(spec.datasets().get(0).id(), "videos"), store.benchmarks().datasetNames(benchmarkId));
  }

  @Test
  void msrvttWithAValidationFileRegistersItsRunsAsValidatingOnValidation(MetricsStore store) throws IOException {
    Path withVal = msrvtt(root.resolve("with-val"));
    Files.createFile(withVal.resolve("MSRVTT_val.csv"));
    BenchmarkSpec spec = spec("dev-is-dev", withVal);
    String benchmarkId = "benchmark-dev-is-dev-" + spec.specHash();

    new StoreActivitiesImpl(store).registerCells(benchmarkId, spec);

    List<Run> runs = store.runs().byBenchmark(benchmarkId);
    assertEquals(4, runs.size());
    assertTrue(runs.stream().noneMatch(Run::validationIsTest));
    assertFalse(store.runs().find(RunIds.ofCell(spec.cells().get(0).id())).orElseThrow().validationIsTest());
  }

  /**
   * A run a release before the {@code checkpoints} setting registered has no such key in its recorded training
   * settings; the same cell in a later matrix (default {@code checkpoints}) is the same run and must be linked, not
   * refused as "another definition under the same id" (found re-linking the paper-claims runs).
   */
  @Test
  void aRunRecordedBeforeTheCheckpointsSettingIsLinkedByALaterMatrix(MetricsStore store) throws IOException {
    Path withVal = msrvtt(root.resolve("older"));
    Files.createFile(withVal.resolve("MSRVTT_val.csv"));
    BenchmarkSpec first = spec("older", withVal);
    String firstId = "benchmark-older-" + first.specHash();
    new StoreActivitiesImpl(store).registerCells(firstId, first);
    assertTrue(first.trainingConfig().values().containsKey("checkpoints"), "the setting exists at its default");
    assertFalse(store.runs().byBenchmark(firstId).get(0).trainingConfig().toString().contains("checkpoints"),
        "recorded as the previous release recorded it: without the new key at its default");

    BenchmarkSpec later = spec("later", withVal);
    String laterId = "benchmark-later-" + later.specHash();
    new StoreActivitiesImpl(store).registerCells(laterId, later);
    assertEquals(store.runs().byBenchmark(firstId).stream().map(Run::id).sorted().toList(),
        store.runs().byBenchmark(laterId).stream().map(Run::id).sorted().toList(), "the same runs, linked");
  }
}
