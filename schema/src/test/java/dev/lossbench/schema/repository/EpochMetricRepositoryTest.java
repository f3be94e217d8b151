package dev.lossbench.schema.repository;

import static dev.lossbench.schema.repository.Fixtures.epoch;
import static dev.lossbench.schema.repository.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Recalls;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MetricsStoreExtension.class)
class EpochMetricRepositoryTest {
  /** The training attempt that holds run r1, as the one that writes its figures. */
  private static final AttemptClaim CLAIM = new AttemptClaim("training-r1", 1);

  private final MetricsStore store;
  private final EpochMetricRepository epochs;

  EpochMetricRepositoryTest(MetricsStore store) {
    this.store = store;
    this.epochs = store.epochMetrics();
  }

  @BeforeEach
  void registerRun() {
    Fixtures.registerBenchmarkAndDataset(store);
    store.runs().register(run("r1", "unified:gamma=50,margin=0.2", 1));
    store.runAttempts().claim("r1", "gpu-0", CLAIM);
  }

  @Test
  void upsertingTheSameEpochTwiceKeepsOneRowWithTheLaterValues() {
    epochs.upsert(epoch("r1", 0, 2.5, 300.0), CLAIM);
    EpochMetric later = new EpochMetric("r1", 0, 1.75, Fixtures.recalls(45, 35, 330), 1e-4, 20, 640, null);

    EpochMetric stored = epochs.upsert(later, CLAIM);

    assertEquals(later, stored);
    assertEquals(List.of(later), epochs.forRun("r1"));
    assertEquals(330, stored.validationRsum(), 1e-9);
  }

  @Test
  void twoWritersOfTheSameRunsEpochsLeaveExactlyOneRowPerEpoch() throws Exception {
    int epochCount = 40;
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Void>> writers = List.of(
          pool.submit(() -> writeAll(together, epochCount, 1.0)),
          pool.submit(() -> writeAll(together, epochCount, 2.0)));
      for (Future<Void> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<EpochMetric> stored = epochs.forRun("r1");
    assertEquals(epochCount, stored.size());
    for (int e = 0; e < epochCount; e++) {
      EpochMetric row = stored.get(e);
      assertEquals(e, row.epoch());
      // each row is one writer's whole write, never a mix of the two
      double writer = row.trainLoss();
      assertTrue(writer == 1.0 || writer == 2.0, "train loss " + writer);
      assertEquals(epoch("r1", e, writer, 100 * writer + e), row);
    }
  }

  private Void writeAll(CyclicBarrier together, int epochCount, double writer) throws Exception {
    together.await(10, TimeUnit.SECONDS);
    for (int e = 0; e < epochCount; e++) {
      epochs.upsert(epoch("r1", e, writer, 100 * writer + e), CLAIM);
    }
    return null;
  }

  @Test
  void anEpochWithoutValidationAndADivergedLossAreKept() {
    EpochMetric diverged = new EpochMetric("r1", 3, Double.NaN, null, 2e-4, 11, 900, null);

    EpochMetric stored = epochs.upsert(diverged, CLAIM);

    assertTrue(Double.isNaN(stored.trainLoss()));
    assertNull(stored.validation());
    assertNull(stored.validationRsum());
    assertEquals(stored, epochs.latest("r1").orElseThrow());
  }

  @Test
  void anEpochOfAnUnknownRunIsNotFound() {
    NotFoundException missing = assertThrows(NotFoundException.class,
        () -> epochs.upsert(epoch("nope", 0, 1, null), CLAIM));
    assertEquals("run", missing.kind());
    assertEquals("nope", missing.id());
  }

  @Test
  void recallsOutsidePercentagesAreRejectedWithTheFieldName() {
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new Recalls(45, 70, 80, 120, 50, 60));
    assertEquals("t2i R@1 must be a percentage in [0, 100], got 120.0", bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Recalls(Double.NaN, 70, 80, 20, 50, 60));
  }
}
