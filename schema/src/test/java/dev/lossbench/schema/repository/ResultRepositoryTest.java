package dev.lossbench.schema.repository;

import static dev.lossbench.schema.repository.Fixtures.result;
import static dev.lossbench.schema.repository.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MetricsStoreExtension.class)
class ResultRepositoryTest {
  /** The training attempt that holds run r1, as the one that writes its figures. */
  private static final AttemptClaim CLAIM = new AttemptClaim("training-r1", 1);

  private final MetricsStore store;
  private final ResultRepository results;

  ResultRepositoryTest(MetricsStore store) {
    this.store = store;
    this.results = store.results();
  }

  @BeforeEach
  void registerRun() {
    Fixtures.registerBenchmarkAndDataset(store);
    store.runs().register(run("r1", "triplet-hn", 1));
    store.runAttempts().claim("r1", "gpu-0", CLAIM);
  }

  @Test
  void evaluatingASplitAgainReplacesItsResult() {
    results.upsert(result("r1", "coco5k", 40, 30, 350), CLAIM);
    Result again = result("r1", "coco5k", 41, 31, 352);

    assertEquals(again, results.upsert(again, CLAIM));

    assertEquals(again, results.find("r1", "coco5k").orElseThrow());
    assertEquals(352, results.find("r1", "coco5k").orElseThrow().rsum(), 1e-9);
  }

  @Test
  void eachSplitIsItsOwnRow() {
    Result test = result("r1", "test", 40, 30, 350);
    Result coco1k = result("r1", "coco1k", 60, 45, 480);

    results.upsert(test, CLAIM);
    results.upsert(coco1k, CLAIM);

    assertEquals(List.of(coco1k, test), results.forRun("r1"));
  }

  @Test
  void aResultOfAnUnknownRunIsNotFound() {
    assertThrows(NotFoundException.class, () -> results.upsert(result("nope", "test", 40, 30, 350), CLAIM));
  }

  @Test
  void ranksMustBeOneBased() {
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new Result("r1", "test", Fixtures.recalls(40, 30, 350), 0, 7, 3, 11));
    assertEquals("i2t median rank must be a 1-based rank (>= 1), got 0.0", bad.getMessage());
  }
}
