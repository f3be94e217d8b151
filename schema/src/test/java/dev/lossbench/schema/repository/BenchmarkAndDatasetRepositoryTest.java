package dev.lossbench.schema.repository;

import static dev.lossbench.schema.repository.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.schema.record.BenchmarkDefinition;
import dev.lossbench.schema.record.BenchmarkStatus;
import dev.lossbench.schema.record.Dataset;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MetricsStoreExtension.class)
class BenchmarkAndDatasetRepositoryTest {
  private final BenchmarkRepository benchmarks;
  private final DatasetRepository datasets;

  BenchmarkAndDatasetRepositoryTest(MetricsStore store) {
    this.benchmarks = store.benchmarks();
    this.datasets = store.datasets();
  }

  @Test
  void registeringABenchmarkAgainUpdatesItsSpecButNotItsStatus() {
    benchmarks.register(new BenchmarkDefinition("quick-a1", "quick", json("{\"seeds\": [1, 2]}"), "a1", null));
    benchmarks.finish("quick-a1", BenchmarkStatus.FAILED);

    Benchmark again = benchmarks.register(new BenchmarkDefinition("quick-a1", "quick",
        json("{\"seeds\": [1, 2], \"note\": \"resubmitted\"}"), "a1", "infonce"));

    assertEquals(json("{\"note\": \"resubmitted\", \"seeds\": [1, 2]}"), again.spec());
    assertEquals("infonce", again.baselineLoss());
    assertEquals(BenchmarkStatus.FAILED, again.status());
    assertEquals(List.of(again), benchmarks.list());
  }

  @Test
  void aNewBenchmarkRunsWithTheDefaultBaselineUntilFinished() {
    Benchmark created = benchmarks.register(new BenchmarkDefinition("quick-a1", "quick", json("{}"), "a1", null));
    assertEquals(BenchmarkStatus.RUNNING, created.status());
    assertEquals("triplet-hn", created.baselineLoss());
    assertNull(created.finishedAt());

    Benchmark finished = benchmarks.finish("quick-a1", BenchmarkStatus.SUCCEEDED);
    assertNotNull(finished.finishedAt());

    Benchmark resumed = benchmarks.markRunning("quick-a1");
    assertEquals(BenchmarkStatus.RUNNING, resumed.status());
    assertNull(resumed.finishedAt());
    assertThrows(NotFoundException.class, () -> benchmarks.finish("nope", BenchmarkStatus.CANCELLED));
    assertThrows(IllegalArgumentException.class, () -> benchmarks.finish("quick-a1", BenchmarkStatus.RUNNING));
  }

  @Test
  void registeringABenchmarkStoresTheNamesItsSpecGivesItsDatasets() {
    benchmarks.register(new BenchmarkDefinition("quick-a1", "quick", json("{\"datasets\": ["
        + "{\"id\": \"synthetic-s7\", \"name\": \"scenes\"}, {\"id\": \"coco-1a2b\", \"name\": \"coco\"},"
        + " {\"id\": \"unnamed\"}]}"), "a1", null));
    benchmarks.register(new BenchmarkDefinition("plain-b2", "plain", json("{}"), "b2", null));

    assertEquals(Map.of("synthetic-s7", "scenes", "coco-1a2b", "coco"), benchmarks.datasetNames("quick-a1"));
    assertEquals(Map.of(), benchmarks.datasetNames("plain-b2"));

    // registered again with a changed spec: the names follow it, none is left behind
    benchmarks.register(new BenchmarkDefinition("quick-a1", "quick", json("{\"datasets\": ["
        + "{\"id\": \"synthetic-s7\", \"name\": \"renamed\"}]}"), "a1", null));
    assertEquals(Map.of("synthetic-s7", "renamed"), benchmarks.datasetNames("quick-a1"));
  }

  @Test
  void benchmarksAreFoundByIdAndByLatestName() {
    benchmarks.register(new BenchmarkDefinition("quick-a1", "quick", json("{}"), "a1", null));
    Benchmark newer = benchmarks.register(new BenchmarkDefinition("quick-b2", "quick", json("{}"), "b2", null));
    benchmarks.register(new BenchmarkDefinition("paper-c3", "paper-coco", json("{}"), "c3", null));

    assertEquals("a1", benchmarks.find("quick-a1").orElseThrow().specHash());
    assertEquals(newer, benchmarks.findLatestByName("quick").orElseThrow());
    assertTrue(benchmarks.findLatestByName("missing").isEmpty());
  }

  @Test
  void aPreparedDatasetKeepsItsHashUntilItsSourceChanges() {
    datasets.register(new DatasetDefinition("coco", "precomp", "/data/coco_precomp", null, "coco5k"));
    Dataset prepared = datasets.recordPrepared("coco", "sha256:abc", Map.of("train", 113287L, "testall", 5000L));
    assertEquals(Map.of("train", 113287L, "testall", 5000L), prepared.splitSizes());
    assertNotNull(prepared.preparedAt());

    Dataset sameSource = datasets
        .register(new DatasetDefinition("coco", "precomp", "/data/coco_precomp", null, "coco1k"));
    assertEquals("sha256:abc", sameSource.contentHash());
    assertEquals("coco1k", sameSource.primarySplit());

    Dataset moved = datasets.register(new DatasetDefinition("coco", "precomp", "/mnt/elsewhere/coco", null, "coco1k"));
    assertNull(moved.contentHash());
    assertNull(moved.preparedAt());
    assertEquals(Map.of(), moved.splitSizes());
    assertEquals(moved, datasets.find("coco").orElseThrow());
  }

  @Test
  void aDatasetNeedsASource() {
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new DatasetDefinition("d", "precomp", null, null, null));
    assertEquals("dataset d needs a path or generator parameters", bad.getMessage());
    assertThrows(NotFoundException.class, () -> datasets.recordPrepared("nope", "sha256:abc", Map.of()));
  }
}
