package dev.lossbench.schema.repository;

import static dev.lossbench.schema.repository.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.failure.StaleAttemptException;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two attempts of one run: the one presumed lost (its worker paused or cut off past the heartbeat timeout) and
 * its replacement. Once the replacement has claimed the run, the stale attempt writes nothing: no epoch row, no
 * checkpoint pointer or best epoch, no claim back.
 */
@ExtendWith(MetricsStoreExtension.class)
class AttemptFencingTest {
  private static final String RUN = "r-fenced";
  private static final AttemptClaim FIRST = new AttemptClaim("wf-run-1/train", 1);
  private static final AttemptClaim SECOND = new AttemptClaim("wf-run-1/train", 2);

  private final MetricsStore store;

  AttemptFencingTest(MetricsStore store) {
    this.store = store;
  }

  @BeforeEach
  void registerTheRun() {
    Fixtures.registerBenchmarkAndDataset(store);
    store.runs().register(run(RUN, "infonce", 1));
  }

  @Test
  void theAttemptHoldingTheClaimWrites() {
    store.runAttempts().claim(RUN, "gpu-0", FIRST);
    store.runAttempts().checkClaim(RUN, FIRST);
    store.epochMetrics().upsert(Fixtures.epoch(RUN, 0, 1.5, 300.0), FIRST);
    Run run = store.runAttempts().recordCheckpoint(RUN, "/runs/r/best.ckpt", 0, FIRST);

    assertEquals(0, run.bestEpoch());
    assertEquals(1, run.attempts());
    assertEquals(List.of(0), store.epochMetrics().forRun(RUN).stream().map(EpochMetric::epoch).toList());
  }

  @Test
  void aStaleAttemptIsRefusedEveryWriteAndTheNewerOnesFiguresStand() {
    store.runAttempts().claim(RUN, "gpu-0", FIRST);
    store.epochMetrics().upsert(Fixtures.epoch(RUN, 0, 1.5, 300.0), FIRST);
    store.runAttempts().recordCheckpoint(RUN, "/runs/r", 0, FIRST);

    // gpu-0 went silent past the heartbeat timeout: Temporal's next attempt claims the run on gpu-1
    store.runAttempts().claim(RUN, "gpu-1", SECOND);
    store.epochMetrics().upsert(Fixtures.epoch(RUN, 1, 1.2, 320.0), SECOND);
    store.runAttempts().recordCheckpoint(RUN, "/runs/r", 1, SECOND);
    List<EpochMetric> before = store.epochMetrics().forRun(RUN);

    // gpu-0 comes back and carries on where it was
    StaleAttemptException metric = assertThrows(StaleAttemptException.class,
        () -> store.epochMetrics().upsert(Fixtures.epoch(RUN, 1, 9.9, 10.0), FIRST));
    assertEquals("run " + RUN + ": attempt 1 of wf-run-1/train was superseded (the run is held by attempt 2 of"
        + " wf-run-1/train); it stops without writing", metric.getMessage());
    assertThrows(StaleAttemptException.class,
        () -> store.epochMetrics().upsert(Fixtures.epoch(RUN, 2, 9.9, 10.0), FIRST));
    assertThrows(StaleAttemptException.class, () -> store.runAttempts().recordCheckpoint(RUN, "/elsewhere", 0, FIRST));
    assertThrows(StaleAttemptException.class, () -> store.runAttempts().checkClaim(RUN, FIRST));
    assertThrows(StaleAttemptException.class, () -> store.runAttempts().claim(RUN, "gpu-0", FIRST));

    assertEquals(before, store.epochMetrics().forRun(RUN), "the newer attempt's rows, unchanged");
    Run run = store.runs().find(RUN).orElseThrow();
    assertEquals(RunStatus.RUNNING, run.status());
    assertEquals(1, run.bestEpoch());
    assertEquals("/runs/r", run.checkpointLocation());
    assertEquals("gpu-1", run.worker());
    assertEquals(2, run.attempts(), "the stale claim was not counted");
    store.runAttempts().checkClaim(RUN, SECOND);
  }

  @Test
  void aFinishedRunTakesNoMoreWritesFromItsLastAttempt() {
    store.runAttempts().claim(RUN, "gpu-0", FIRST);
    store.runs().finish(RUN, RunStatus.FAILED, "run workflow terminated");

    StaleAttemptException refused = assertThrows(StaleAttemptException.class,
        () -> store.epochMetrics().upsert(Fixtures.epoch(RUN, 0, 1.5, 300.0), FIRST));
    assertTrue(refused.getMessage().contains("the run is failed, last claimed by attempt 1 of wf-run-1/train"),
        refused.getMessage());
    assertTrue(store.epochMetrics().forRun(RUN).isEmpty());
  }

  @Test
  void anotherExecutionTakesTheRunOverAndAResumedRunIsClaimedAgain() {
    store.runAttempts().claim(RUN, "gpu-0", SECOND);
    store.runs().finish(RUN, RunStatus.FAILED, "lost");
    // a resumed benchmark: a new workflow run, its first attempt
    AttemptClaim resumed = new AttemptClaim("wf-run-2/train", 1);
    store.runAttempts().claim(RUN, "gpu-1", resumed);
    store.epochMetrics().upsert(Fixtures.epoch(RUN, 0, 1.5, 300.0), resumed);
    assertThrows(StaleAttemptException.class, () -> store.runAttempts().checkClaim(RUN, SECOND));
  }

  @Test
  void aRunThatIsNotThereIsNotFound() {
    assertThrows(NotFoundException.class, () -> store.runAttempts().checkClaim("nope", FIRST));
    assertThrows(NotFoundException.class, () -> store.runAttempts().recordCheckpoint("nope", "/x", null, FIRST));
  }

  /**
   * Evaluation is fenced like training (issue #24: "evaluation results are not fenced"): the evaluation attempt
   * claims the run, which makes the training attempt before it stale, and a replaced evaluation attempt writes no
   * result over its replacement's. An evaluation claim is not a training attempt: the attempt count stays.
   */
  @Test
  void aStaleEvaluationWritesNoResultOverItsReplacements() {
    AttemptClaim evaluation = new AttemptClaim("wf-run-1/evaluate", 1);
    AttemptClaim replacement = new AttemptClaim("wf-run-1/evaluate", 2);
    store.runAttempts().claim(RUN, "gpu-0", FIRST);
    store.runAttempts().claimEvaluation(RUN, evaluation);
    assertThrows(StaleAttemptException.class,
        () -> store.epochMetrics().upsert(Fixtures.epoch(RUN, 3, 1.0, 100.0), FIRST), "training is over");
    store.results().upsert(Fixtures.result(RUN, "test", 10, 11, 100), evaluation);

    // the first evaluation went silent past the heartbeat timeout: its replacement claims the run and writes
    store.runAttempts().claimEvaluation(RUN, replacement);
    store.results().upsert(Fixtures.result(RUN, "test", 20, 21, 200), replacement);

    StaleAttemptException stale = assertThrows(StaleAttemptException.class,
        () -> store.results().upsert(Fixtures.result(RUN, "test", 99, 99, 500), evaluation));
    assertTrue(stale.getMessage().contains("held by attempt 2 of wf-run-1/evaluate"), stale.getMessage());
    assertThrows(StaleAttemptException.class,
        () -> store.results().upsert(Fixtures.result(RUN, "gap-test", 99, 99, 500), evaluation));
    assertThrows(StaleAttemptException.class, () -> store.runAttempts().claimEvaluation(RUN, evaluation));

    assertEquals(20, store.results().find(RUN, "test").orElseThrow().recalls().i2tR1(), "the replacement's result");
    assertTrue(store.results().find(RUN, "gap-test").isEmpty());
    assertEquals(1, store.runs().find(RUN).orElseThrow().attempts(), "evaluation claims are not training attempts");
  }
}
