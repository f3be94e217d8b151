package dev.lossbench.schema.repository;

import static dev.lossbench.schema.repository.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.BenchmarkCompute;
import dev.lossbench.schema.record.TrainingAttempt;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Compute accounting (issue #22, item 1): each training attempt's epochs and seconds, summed per benchmark by the
 * {@code benchmark_compute} view; a run linked from an earlier benchmark costs the later one nothing.
 */
@ExtendWith(MetricsStoreExtension.class)
class TrainingAttemptRepositoryTest {
  private static final String RUN = "r-counted";
  private static final AttemptClaim FIRST = new AttemptClaim("wf-run-1/train", 1);
  private static final AttemptClaim SECOND = new AttemptClaim("wf-run-1/train", 2);

  private final MetricsStore store;

  TrainingAttemptRepositoryTest(MetricsStore store) {
    this.store = store;
  }

  @BeforeEach
  void registerTheRun() {
    Fixtures.registerBenchmarkAndDataset(store);
    store.runs().register(run(RUN, "infonce", 1));
  }

  @Test
  void eachAttemptCountsTheEpochsItTrainedAndTheirSeconds() {
    store.attempts().begin(RUN, Fixtures.BENCHMARK, FIRST, "gpu-0", "cuda:0");
    store.attempts().begin(RUN, Fixtures.BENCHMARK, FIRST, "gpu-0", "cuda:0"); // an activity retried: once
    store.attempts().recordEpoch(RUN, FIRST, 10.5);
    // the worker died; the next attempt resumes from the checkpoint and trains the remaining two epochs
    store.attempts().begin(RUN, Fixtures.BENCHMARK, SECOND, "gpu-1", "cuda:1");
    store.attempts().recordEpoch(RUN, SECOND, 9.0);
    store.attempts().recordEpoch(RUN, SECOND, 9.5);

    List<TrainingAttempt> attempts = store.attempts().byRun(RUN);
    assertEquals(List.of(1, 2), attempts.stream().map(TrainingAttempt::epochsTrained).toList());
    assertEquals(List.of("cuda:0", "cuda:1"), attempts.stream().map(TrainingAttempt::device).toList());
    BenchmarkCompute compute = store.reports().compute(Fixtures.BENCHMARK).orElseThrow();
    assertEquals(List.of(1, 0, 1, 2, 3), List.of(compute.runs(), compute.runsFromBefore(), compute.runsTrained(),
        compute.attempts(), compute.runEpochsTrained()));
    assertEquals(29.0, compute.trainingSeconds(), 1e-9);
  }

  @Test
  void anEpochOfAnAttemptNeverBegunIsRefused() {
    assertThrows(NotFoundException.class, () -> store.attempts().recordEpoch(RUN, FIRST, 1.0));
    assertThrows(NotFoundException.class,
        () -> store.attempts().begin("no-such-run", Fixtures.BENCHMARK, FIRST, "w", null));
    assertThrows(IllegalArgumentException.class, () -> store.attempts().recordEpoch(RUN, FIRST, Double.NaN));
  }

  @Test
  void eachAttemptThatDidNotSucceedSaysHowItEnded() {
    AttemptClaim third = new AttemptClaim("wf-run-1/train", 3);
    AttemptClaim fourth = new AttemptClaim("wf-run-1/train", 4);
    store.attempts().begin(RUN, Fixtures.BENCHMARK, FIRST, "gpu-0", "cpu");
    // the first attempt's worker dies: it records nothing; the second marks it lost when it claims the run
    store.attempts().begin(RUN, Fixtures.BENCHMARK, SECOND, "gpu-1", "cpu");
    assertTrue(
        store.attempts().recordFailure(RUN, SECOND, "out of memory (Java heap space): set LOSSBENCH_JAVA_OPTS=-Xmx…"));
    store.attempts().begin(RUN, Fixtures.BENCHMARK, third, "gpu-0", "cpu");
    // the first attempt was only stale: its own late failure does not replace what its successor recorded
    assertFalse(store.attempts().recordFailure(RUN, FIRST, "superseded by a newer attempt"));
    store.attempts().begin(RUN, Fixtures.BENCHMARK, third, "gpu-0", "cpu"); // idempotent: marks nothing
    store.attempts().begin(RUN, Fixtures.BENCHMARK, fourth, "gpu-0", "cpu");
    // the fourth succeeds: nothing recorded

    assertEquals(Arrays.asList("lost: no result from attempt 1",
        "out of memory (Java heap space): set LOSSBENCH_JAVA_OPTS=-Xmx…", "lost: no result from attempt 3", null),
        store.attempts().byRun(RUN).stream().map(TrainingAttempt::failure).toList());
  }

  @Test
  void anAttemptOfAnotherExecutionIsNotMarkedLost() {
    // a rung trained to its end in one execution; a later execution (a promotion, a resume) trains on
    store.attempts().begin(RUN, Fixtures.BENCHMARK, FIRST, "gpu-0", "cpu");
    AttemptClaim later = new AttemptClaim("wf-run-2/train", 1);
    store.attempts().begin(RUN, Fixtures.BENCHMARK, later, "gpu-0", "cpu");

    assertEquals(Arrays.asList(null, null),
        store.attempts().byRun(RUN).stream().map(TrainingAttempt::failure).toList());
    assertFalse(store.attempts().recordFailure("no-such-run", FIRST, "x"), "no such attempt");
  }
}
