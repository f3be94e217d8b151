package dev.lossbench.workers.activities;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.activities.CellRuns;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.Cell;
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
 * A TorchScript cell is its module's bytes, not its path (issue #24): a {@code .pt} replaced under the same path is
 * a new cell whose run trains, where it used to reuse the old module's figures; so is a changed tokenizer.
 * Registration through {@link StoreActivitiesImpl#registerCells} on the real store.
 */
@ExtendWith(MetricsStoreExtension.class)
class CellIdentitiesTest {
  @TempDir
  Path dir;

  private BenchmarkSpec spec(Path module) {
    return new MatrixParser(Map.of()).read("""
        name: clip-reuse
        datasets:
          - {name: scenes, kind: synthetic-images, params: {train_images: 8, dev_images: 4, test_images: 4, seed: 1}}
        models:
          - {name: torchscript, path: "%s", tokenizer: "%s"}
        losses: [infonce]
        seeds: 1
        """.formatted(module, dir.resolve("tokenizer.json")), "clip.yaml", dir);
  }

  @Test
  void aModuleReplacedUnderTheSamePathIsANewCell(MetricsStore store) throws IOException {
    Path module = dir.resolve("model.pt");
    Files.write(module, new byte[]{1, 2, 3});
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    BenchmarkSpec spec = spec(module);
    Cell cell = spec.cells().get(0);
    String benchmarkId = RunIds.benchmarkId(spec);
    StoreActivitiesImpl activities = new StoreActivitiesImpl(store);

    CellRuns first = activities.registerCells(benchmarkId, spec);
    String firstRun = first.runIds().get(cell.id());
    assertNotNull(firstRun, "a TorchScript cell's run is named by the registration (the module's bytes)");
    assertNotEquals(RunIds.ofCell(cell.id()), firstRun);
    store.runs().start(firstRun, "w");
    store.runs().finish(firstRun, RunStatus.SUCCEEDED, null);
    assertEquals(List.of(firstRun), activities.registerCells(benchmarkId, spec).succeeded(), "the same module: done");

    // replaced under the same path: a new run, pending, in place of the old one in this benchmark
    Files.write(module, new byte[]{1, 2, 4});
    CellRuns replaced = activities.registerCells(benchmarkId, spec);
    String newRun = replaced.runIds().get(cell.id());
    assertNotEquals(firstRun, newRun);
    assertEquals(List.of(), replaced.succeeded(), "the old module's figures are not reused");
    assertEquals(RunStatus.PENDING, store.runs().find(newRun).orElseThrow().status());
    assertEquals(List.of(newRun), store.runs().byBenchmark(benchmarkId).stream().map(r -> r.id()).toList(),
        "one run per cell: the old module's run is no longer this benchmark's");
    assertEquals(RunStatus.SUCCEEDED, store.runs().find(firstRun).orElseThrow().status(), "and is kept as it was");

    // a changed tokenizer is a new cell too
    Files.writeString(dir.resolve("tokenizer.json"), "{\"changed\": true}");
    assertNotEquals(newRun, activities.registerCells(benchmarkId, spec).runIds().get(cell.id()));
  }

  @Test
  void aCellWithoutFilesKeepsItsCellIdAsItsRun(MetricsStore store) {
    BenchmarkSpec spec = new MatrixParser(Map.of()).read("""
        name: plain
        datasets:
          - {name: scenes, kind: synthetic, params: {train_images: 8, dev_images: 4, test_images: 4, seed: 1}}
        models: [vse-mean]
        losses: [infonce]
        seeds: 2
        """, "plain.yaml", dir);
    CellRuns runs = new StoreActivitiesImpl(store).registerCells(RunIds.benchmarkId(spec), spec);
    assertEquals(Map.of(), runs.runIds(), "nothing to carry in the workflow's history");
    for (Cell c : spec.cells()) {
      assertEquals(c.id(), store.runs().cellId(RunIds.ofCell(c.id())).orElseThrow());
    }
  }
}
