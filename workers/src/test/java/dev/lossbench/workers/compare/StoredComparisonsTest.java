package dev.lossbench.workers.compare;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.BenchmarkStatus;
import dev.lossbench.schema.record.ComparisonRow;
import dev.lossbench.schema.record.Recalls;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.UnfencedWrites;
import dev.lossbench.workers.activities.StoreActivitiesImpl;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.Cell;
import dev.lossbench.workflows.matrix.MatrixParser;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The comparisons stored once, on the real embedded PostgreSQL: written by the store activity the benchmark workflow
 * calls at its end, replaced (never duplicated) when computed again, computed on demand for a finished benchmark an
 * older release left without them, and read back through the comparisons view with the leaderboard's rank.
 */
@ExtendWith(MetricsStoreExtension.class)
class StoredComparisonsTest {
  /** 7 seeds: infonce is +10 rSum on every seed, unified within ±0.1 of the baseline; the bound is ±2 rSum. */
  private static final String MATRIX = """
      name: stored
      datasets: [{name: scenes, kind: synthetic}]
      models: [vse-mean]
      losses: [triplet-hn, infonce, unified]
      seeds: 7
      study: {equivalence: {rsum: 2}}
      """;

  private final MetricsStore store;
  private final BenchmarkSpec spec = new MatrixParser(Map.of()).read(MATRIX, "stored.yaml", Path.of("."));
  private final String id = "benchmark-stored-" + spec.specHash();

  StoredComparisonsTest(MetricsStore store) {
    this.store = store;
  }

  private void recordFinishedBenchmark() {
    new StoreActivitiesImpl(store).registerBenchmark(id, spec);
    for (Cell c : spec.cells()) {
      String run = RunIds.runId(id, c.id());
      double rsum = 300 + c.seed() + switch (c.lossLabel()) {
        case "infonce" -> 10;
        case "unified" -> c.seed() % 2 == 0 ? 0.1 : -0.1;
        default -> 0;
      };
      store.runs().start(run, "worker-1");
      double r = rsum / 6;
      UnfencedWrites.upsert(store, new Result(run, "test", new Recalls(r, r, r, r, r, r), 2, 4, 2, 4));
      store.runs().finish(run, RunStatus.SUCCEEDED, null);
    }
    store.benchmarks().finish(id, BenchmarkStatus.SUCCEEDED);
  }

  private long rows() throws SQLException {
    try (Connection c = store.database().dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM comparison")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static ComparisonRow rsum(List<ComparisonRow> rows, String variant) {
    return rows.stream().filter(r -> r.measure().equals("rsum") && r.variant().equals(variant)).findFirst()
        .orElseThrow();
  }

  @Test
  void theStoreActivityWritesEveryVariantsVerdictAndTheViewReadsItBack() throws SQLException {
    recordFinishedBenchmark();
    new StoreActivitiesImpl(store).storeComparisons(id);

    List<ComparisonRow> stored = store.comparisons().primary(id);
    assertEquals(6, stored.size(), "2 variants x rsum, r1_i2t, r1_t2i");
    ComparisonRow infonce = rsum(stored, "infonce");
    assertEquals("triplet-hn", infonce.baseline());
    assertEquals(7, infonce.n());
    assertEquals(10, infonce.meanDelta(), 1e-9);
    assertEquals(2 / 128.0, infonce.p(), 1e-15);
    assertEquals(2 * 2 / 128.0, infonce.pHolm(), 1e-15, "Holm over the two variants");
    assertEquals("better", infonce.outcome());
    assertEquals(1, infonce.rank(), "the leaderboard view's rank");
    assertEquals(1.0, infonce.pAGreater());
    assertEquals(PairedComparison.EXACT, infonce.test());
    assertTrue(infonce.primary());
    assertNotNull(infonce.computedAt());
    ComparisonRow unified = rsum(stored, "unified");
    assertEquals("equivalent", unified.outcome(), unified.toString());
    assertEquals(2.0, unified.bound(), "the matrix's declared bound");
    assertEquals(0.05, unified.alpha());

    // computed again: the same rows replaced, not added
    new StoreActivitiesImpl(store).storeComparisons(id);
    assertEquals(6, rows());
    assertEquals(stored.stream().map(r -> r.variant() + r.measure() + r.p()).toList(),
        store.comparisons().primary(id).stream().map(r -> r.variant() + r.measure() + r.p()).toList());
    // a re-computation that no longer has a row removes it (no stale verdict left behind)
    store.comparisons().replace(id, stored.subList(0, 2));
    assertEquals(2, rows());
  }

  @Test
  void aFinishedBenchmarkWithoutRowsGetsThemOnDemandARunningOneDoesNot() throws SQLException {
    new StoreActivitiesImpl(store).registerBenchmark(id, spec);
    assertEquals(List.of(), StoredComparisons.primary(store, store.benchmarks().find(id).orElseThrow()));
    assertEquals(0, rows(), "a running benchmark's comparisons wait for its end");

    recordFinishedBenchmark();
    assertFalse(store.comparisons().exists(id), "finished as an older release did: no comparisons stored");
    List<ComparisonRow> read = StoredComparisons.primary(store, store.benchmarks().find(id).orElseThrow());
    assertEquals(6, read.size());
    assertTrue(store.comparisons().exists(id));
    assertEquals(6, rows());
  }

  @Test
  void theBestSetNamesTheVariantDecidedBetterThanEveryOther() {
    recordFinishedBenchmark();
    store.benchmarks().markRunning(id);
    assertEquals(List.of(), StoredComparisons.best(store, store.benchmarks().find(id).orElseThrow()),
        "no best set while the benchmark runs, as no comparisons");
    store.benchmarks().finish(id, BenchmarkStatus.SUCCEEDED);
    List<BestSet.Group> best = StoredComparisons.best(store, store.benchmarks().find(id).orElseThrow());
    assertEquals(1, best.size(), "one dataset × model × split");
    // infonce is +10 on each of 7 seeds against both others: sign-flip p = 2/2^7 = 0.0156 <= alpha/2 per pair
    assertEquals(List.of("infonce"), best.get(0).variants());
    assertTrue(best.get(0).decided());
    assertEquals(3, best.get(0).rivals());
    assertEquals(0.025, best.get(0).pairLevel(), 1e-12);
  }
}
