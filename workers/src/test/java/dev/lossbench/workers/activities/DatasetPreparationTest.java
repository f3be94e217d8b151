package dev.lossbench.workers.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Dataset;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.workflows.activities.PreparedDataset;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.DatasetSpec;
import dev.lossbench.workflows.matrix.MatrixParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A matrix's datasets are registered once, by the benchmark's registration; preparing one records what it found
 * on that row. A preparation of a dataset no registration recorded (the activity called on its own) registers it
 * first, as it always has.
 */
@ExtendWith(MetricsStoreExtension.class)
class DatasetPreparationTest {
  @TempDir
  Path root;

  private BenchmarkSpec spec() {
    return new MatrixParser(Map.of()).read(
        """
            name: prepared
            datasets:
              - {name: scenes, kind: synthetic, params: {train_images: 12, dev_images: 6, test_images: 8}, protocols: [test, gap]}
            models: [vse-mean]
            losses: [triplet-hn]
            """,
        "prepared.yaml", root);
  }

  @Test
  void preparationRecordsWhatItFoundOnTheRowRegistrationMade(MetricsStore store) {
    BenchmarkSpec spec = spec();
    DatasetSpec scenes = spec.datasets().get(0);
    new StoreActivitiesImpl(store).registerCells("benchmark-prepared-" + spec.specHash(), spec);
    Dataset registered = store.datasets().find(scenes.id()).orElseThrow();
    assertEquals(null, registered.preparedAt(), "registered, not prepared yet");

    PreparedDataset prepared = new DatasetActivitiesImpl(store, root.resolve("artifacts")).prepare(scenes);

    Dataset row = store.datasets().find(scenes.id()).orElseThrow();
    assertEquals(scenes.synthetic().contentHash(), prepared.contentHash());
    assertEquals(prepared.contentHash(), row.contentHash());
    assertEquals(12L, row.splitSizes().get("train_images"));
    assertEquals(8L, row.splitSizes().get("test_images"));
    assertEquals(registered.createdAt(), row.createdAt(), "the row registration made");
    assertTrue(Files.isDirectory(Path.of(prepared.directory())), prepared.directory());
  }

  @Test
  void aDatasetNoRegistrationRecordedIsRegisteredByItsPreparation(MetricsStore store) {
    DatasetSpec scenes = spec().datasets().get(0);
    assertTrue(store.datasets().find(scenes.id()).isEmpty());

    new DatasetActivitiesImpl(store, root.resolve("artifacts")).prepare(scenes);

    Dataset row = store.datasets().find(scenes.id()).orElseThrow();
    assertEquals("synthetic", row.kind());
    assertEquals("test", row.primarySplit());
    assertEquals(scenes.synthetic().contentHash(), row.contentHash());
    assertNotNull(row.preparedAt());
    assertEquals(6L, row.splitSizes().get("dev_images"));
  }
}
