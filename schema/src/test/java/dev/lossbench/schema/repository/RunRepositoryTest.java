package dev.lossbench.schema.repository;

import static dev.lossbench.schema.repository.Fixtures.BENCHMARK;
import static dev.lossbench.schema.repository.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.failure.RunDefinitionConflictException;
import dev.lossbench.schema.failure.RunTransitionRefusedException;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunDefinition;
import dev.lossbench.schema.record.RunEvent;
import dev.lossbench.schema.record.RunEventKind;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MetricsStoreExtension.class)
class RunRepositoryTest {
  private static final String VARIANT = "unified:gamma=50,margin=0.2";

  private final MetricsStore store;
  private final RunRepository runs;

  RunRepositoryTest(MetricsStore store) {
    this.store = store;
    this.runs = store.runs();
  }

  @BeforeEach
  void registerBenchmark() {
    Fixtures.registerBenchmarkAndDataset(store);
  }

  @Test
  void registeringTheSameRunTwiceKeepsOneRowAndItsStatus() {
    Run first = runs.register(run("r1", VARIANT, 1));
    runs.start("r1", "gpu-0");

    Run again = runs.register(run("r1", VARIANT, 1));

    assertEquals(RunStatus.PENDING, first.status());
    assertEquals(RunStatus.RUNNING, again.status(), "re-registering does not reset a started run");
    assertEquals(1, runs.byBenchmark(BENCHMARK).size());
    assertEquals(List.of(RunEventKind.REGISTERED, RunEventKind.STATUS), kinds("r1"));
    assertEquals(first.definition(), again.definition());
  }

  @Test
  void validationIsTestIsStoredAndARegistrationCanSetItButNeverClearIt() {
    RunDefinition plain = run("r1", VARIANT, 1);
    RunDefinition onTest = new RunDefinition(plain.id(), plain.benchmarkId(), plain.datasetId(), plain.model(),
        plain.lossName(), plain.lossParams(), plain.variant(), plain.seed(), plain.trainingConfig(), true);

    assertEquals(false, runs.register(plain).validationIsTest(), "default: a validation split of its own");
    Run marked = runs.register(onTest);
    Run again = runs.register(plain);

    assertTrue(marked.validationIsTest(), "registering again with the flag sets it, no conflict");
    assertTrue(again.validationIsTest(), "a later registration without it does not clear it");
    assertTrue(runs.find("r1").orElseThrow().validationIsTest());
    assertTrue(again.definition().validationIsTest());
    assertEquals(1, runs.byBenchmark(BENCHMARK).size());
  }

  @Test
  void aRunIdRegisteredWithAnotherDefinitionIsAConflict() {
    runs.register(run("r1", VARIANT, 1));

    RunDefinitionConflictException conflict = assertThrows(RunDefinitionConflictException.class,
        () -> runs.register(run("r1", VARIANT, 2)));

    assertTrue(conflict.getMessage().contains("run r1 is already registered with another definition"),
        conflict.getMessage());
    assertEquals(1, runs.find("r1").orElseThrow().seed());
  }

  @Test
  void aCellRegisteredUnderTwoIdsIsAConflict() {
    runs.register(run("r1", VARIANT, 1));

    RunDefinitionConflictException conflict = assertThrows(RunDefinitionConflictException.class,
        () -> runs.register(run("r1-other-hash", VARIANT, 1)));

    assertTrue(conflict.getMessage().contains("repeats a cell another run already holds"), conflict.getMessage());
  }

  @Test
  void registeringAllIsOneTransaction() {
    List<RunDefinition> definitions = List.of(run("r1", VARIANT, 1), run("r2", VARIANT, 2),
        new RunDefinition("r3", "no-such-benchmark", Fixtures.DATASET, Fixtures.MODEL, "unified", null, VARIANT, 3,
            null));

    NotFoundException missing = assertThrows(NotFoundException.class, () -> runs.registerAll(definitions));

    assertEquals("benchmark", missing.kind());
    assertEquals(List.of(), runs.byBenchmark(BENCHMARK), "r1 and r2 rolled back with r3");
  }

  @Test
  void aRunGoesForwardAndLogsEachStep() {
    runs.register(run("r1", VARIANT, 1));

    Run running = runs.start("r1", "gpu-0");
    Run succeeded = runs.finish("r1", RunStatus.SUCCEEDED, null);

    assertEquals(RunStatus.RUNNING, running.status());
    assertEquals(1, running.attempts());
    assertEquals("gpu-0", running.worker());
    assertNotNull(running.startedAt());
    assertNull(running.finishedAt());
    assertEquals(RunStatus.SUCCEEDED, succeeded.status());
    assertNotNull(succeeded.finishedAt());
    List<RunEvent> events = store.runEvents().forRun("r1");
    assertEquals(List.of(RunEventKind.REGISTERED, RunEventKind.STATUS, RunEventKind.STATUS), kinds("r1"));
    assertEquals(RunStatus.RUNNING, events.get(2).fromStatus());
    assertEquals(RunStatus.SUCCEEDED, events.get(2).toStatus());
    assertEquals("gpu-0", events.get(1).worker());
  }

  @Test
  void aSucceededRunDoesNotGoBackToRunningAndIsLeftUnchanged() {
    runs.register(run("r1", VARIANT, 1));
    runs.start("r1", "gpu-0");
    Run succeeded = runs.finish("r1", RunStatus.SUCCEEDED, null);

    RunTransitionRefusedException refused = assertThrows(RunTransitionRefusedException.class,
        () -> runs.start("r1", "gpu-1"));

    assertEquals("run r1 cannot go from succeeded to running: succeeded is final", refused.getMessage());
    assertEquals("r1", refused.runId());
    assertEquals(RunStatus.SUCCEEDED, refused.from());
    assertEquals(RunStatus.RUNNING, refused.to());
    assertEquals(succeeded, runs.find("r1").orElseThrow(), "the row is unchanged");
    assertEquals(3, store.runEvents().forRun("r1").size(), "nothing logged");
  }

  @Test
  void aPendingRunCannotSucceedWithoutRunning() {
    runs.register(run("r1", VARIANT, 1));

    RunTransitionRefusedException refused = assertThrows(RunTransitionRefusedException.class,
        () -> runs.finish("r1", RunStatus.SUCCEEDED, null));

    assertEquals(
        "run r1 cannot go from pending to succeeded: from pending it may only go to cancelled, failed, running",
        refused.getMessage());
    assertEquals(RunStatus.PENDING, runs.find("r1").orElseThrow().status());
  }

  @Test
  void finishingTwiceWithTheSameStatusIsANoOp() {
    runs.register(run("r1", VARIANT, 1));
    runs.start("r1", "gpu-0");
    Run failed = runs.finish("r1", RunStatus.FAILED, "CUDA out of memory");

    Run again = runs.finish("r1", RunStatus.FAILED, "CUDA out of memory");

    assertEquals(failed, again);
    assertEquals(3, store.runEvents().forRun("r1").size());
  }

  @Test
  void aFailedRunResumesAndCountsItsAttempts() {
    runs.register(run("r1", VARIANT, 1));
    runs.start("r1", "gpu-0");
    Run failed = runs.finish("r1", RunStatus.FAILED, "worker lost");
    assertEquals("worker lost", failed.error());

    Run pending = runs.requeue("r1", "lossbench resume");
    Run running = runs.start("r1", "gpu-1");

    assertEquals(RunStatus.PENDING, pending.status());
    assertNull(pending.error());
    assertNull(pending.startedAt());
    assertEquals(2, running.attempts());
    assertEquals("gpu-1", running.worker());
    List<RunEvent> events = store.runEvents().forRun("r1");
    assertEquals(List.of(RunEventKind.REGISTERED, RunEventKind.STATUS, RunEventKind.STATUS, RunEventKind.RESUME,
        RunEventKind.STATUS), kinds("r1"));
    assertEquals("worker lost", events.get(2).message(), "the failure stays in the log");
    assertEquals("lossbench resume", events.get(3).message());
  }

  @Test
  void startingARunningRunAgainIsARetryOnAnotherWorker() {
    runs.register(run("r1", VARIANT, 1));
    runs.start("r1", "gpu-0");

    Run retried = runs.start("r1", "gpu-1");

    assertEquals(RunStatus.RUNNING, retried.status());
    assertEquals(2, retried.attempts());
    assertEquals("gpu-1", retried.worker());
    RunEvent retry = store.runEvents().forRun("r1").get(2);
    assertEquals(RunEventKind.RETRY, retry.kind());
    assertEquals(2, retry.attempt());
  }

  @Test
  void aRetryKeepsTheRunsFirstStart() throws InterruptedException {
    runs.register(run("r1", VARIANT, 1));
    Run first = runs.start("r1", "gpu-0");
    Thread.sleep(20);

    Run retried = runs.start("r1", "gpu-1");
    Run succeeded = runs.finish("r1", RunStatus.SUCCEEDED, null);

    assertEquals(first.startedAt(), retried.startedAt(),
        "a 27-minute run with a retry must not look like its last attempt");
    assertEquals(first.startedAt(), succeeded.startedAt());
    assertTrue(succeeded.finishedAt().isAfter(first.startedAt().plusMillis(19)));
  }

  @Test
  void aDivergedRunKeepsItsReason() {
    runs.register(run("r1", VARIANT, 1));
    runs.start("r1", "gpu-0");

    Run diverged = runs.finish("r1", RunStatus.DIVERGED, "loss is NaN at epoch 3 step 120");

    assertEquals(RunStatus.DIVERGED, diverged.status());
    assertEquals("loss is NaN at epoch 3 step 120", diverged.error());
  }

  @Test
  void anUnknownRunIsNotFound() {
    NotFoundException missing = assertThrows(NotFoundException.class, () -> runs.start("nope", "gpu-0"));
    assertEquals("no run with id 'nope' in the metrics store", missing.getMessage());
  }

  @Test
  void whenTwoWorkersFinishOneRunAtOnceExactlyOneWins() throws Exception {
    int rounds = 20;
    for (int i = 0; i < rounds; i++) {
      runs.register(run("race-" + i, VARIANT, 100 + i));
      runs.start("race-" + i, "gpu-0");
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < rounds; i++) {
        String id = "race-" + i;
        CyclicBarrier together = new CyclicBarrier(2);
        Future<RunStatus> success = pool.submit(() -> finishTogether(together, id, RunStatus.SUCCEEDED));
        Future<RunStatus> failure = pool.submit(() -> finishTogether(together, id, RunStatus.FAILED));
        RunStatus a = success.get(30, TimeUnit.SECONDS);
        RunStatus b = failure.get(30, TimeUnit.SECONDS);

        assertTrue((a == null) != (b == null), "exactly one of the two finishes wins in round " + i);
        RunStatus winner = a != null ? a : b;
        assertEquals(winner, runs.find(id).orElseThrow().status());
        long terminalEvents = store.runEvents().forRun(id).stream()
            .filter(e -> e.toStatus() != null && e.toStatus().isFinished())
            .count();
        assertEquals(1, terminalEvents, "one terminal event in round " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private RunStatus finishTogether(CyclicBarrier together, String id, RunStatus status) throws Exception {
    together.await(10, TimeUnit.SECONDS);
    try {
      return runs.finish(id, status, status == RunStatus.FAILED ? "lost the race" : null).status();
    } catch (RunTransitionRefusedException refused) {
      return null;
    }
  }

  @Test
  void theDatabaseItselfRefusesABackwardStatus(TestDatabase db) throws SQLException {
    runs.register(run("r1", VARIANT, 1));
    runs.start("r1", "gpu-0");
    runs.finish("r1", RunStatus.SUCCEEDED, null);

    try (Connection c = db.dataSource(TestDatabase.DATABASE).getConnection(); Statement s = c.createStatement()) {
      SQLException refused = assertThrows(SQLException.class,
          () -> s.executeUpdate("UPDATE run SET status = 'running' WHERE id = 'r1'"));
      assertTrue(refused.getMessage().contains("run r1 cannot go from succeeded to running"), refused.getMessage());
    }
    assertEquals(RunStatus.SUCCEEDED, runs.find("r1").orElseThrow().status());
  }

  @Test
  void resumeSeesWhichRunsSucceeded() {
    for (int seed = 1; seed <= 4; seed++) {
      runs.register(run("r" + seed, VARIANT, seed));
    }
    runs.start("r1", "gpu-0");
    runs.finish("r1", RunStatus.SUCCEEDED, null);
    runs.start("r2", "gpu-0");
    runs.finish("r2", RunStatus.FAILED, "boom");
    runs.start("r3", "gpu-0");

    assertEquals(Set.of("r1"), runs.succeededIds(BENCHMARK));
    assertEquals(List.of("r2", "r4"),
        ids(runs.byBenchmark(BENCHMARK, EnumSet.of(RunStatus.FAILED, RunStatus.PENDING))));
    assertEquals(List.of("r1", "r2", "r3", "r4"), ids(runs.byBenchmark(BENCHMARK)));
  }

  @Test
  void checkpointsAreRecordedWithTheBestEpoch() {
    runs.register(run("r1", VARIANT, 1));
    AttemptClaim claim = new AttemptClaim("training-r1", 1);
    store.runAttempts().claim("r1", "gpu-0", claim);

    store.runAttempts().recordCheckpoint("r1", "/artifacts/r1/epoch-2.ckpt", 2, claim);
    Run later = store.runAttempts().recordCheckpoint("r1", "/artifacts/r1/epoch-3.ckpt", null, claim);

    assertEquals("/artifacts/r1/epoch-3.ckpt", later.checkpointLocation());
    assertEquals(2, later.bestEpoch(), "a checkpoint without a new best keeps the best epoch");
  }

  @Test
  void theDeviceAndItsPeakMemoryAreTheLatestAttempts() {
    runs.register(run("r1", VARIANT, 1));
    assertNull(runs.find("r1").orElseThrow().device(), "no device before an attempt");
    runs.start("r1", "gpu-0");

    store.runAttempts().recordDevice("r1", "cuda:0 (NVIDIA H200)", 1_000L);
    store.runAttempts().recordDeviceMemory("r1", 5_000L);
    store.runAttempts().recordDeviceMemory("r1", 3_000L);
    Run first = store.runAttempts().recordDeviceMemory("r1", null);
    assertEquals("cuda:0 (NVIDIA H200)", first.device());
    assertEquals(5_000L, first.peakDeviceMemoryBytes(), "the most seen, not the last");
    assertEquals(first, runs.find("r1").orElseThrow());

    runs.start("r1", "cpu-1");
    Run retried = store.runAttempts().recordDevice("r1", "cpu", null);
    assertEquals("cpu", retried.device());
    assertNull(retried.peakDeviceMemoryBytes(), "a new attempt on the CPU: no device memory");
    assertNull(store.runAttempts().recordDeviceMemory("r1", null).peakDeviceMemoryBytes());

    assertThrows(IllegalArgumentException.class, () -> store.runAttempts().recordDevice("r1", " ", null));
    assertThrows(IllegalArgumentException.class, () -> store.runAttempts().recordDeviceMemory("r1", -1L));
    assertThrows(NotFoundException.class, () -> store.runAttempts().recordDevice("nope", "cpu", null));
  }

  @Test
  void notesAreAppendedToTheLog() {
    runs.register(run("r1", VARIANT, 1));

    RunEvent note = store.runEvents().note("r1", "resumed from checkpoint epoch 7", "gpu-3");

    assertEquals(RunEventKind.NOTE, note.kind());
    assertEquals(note, store.runEvents().forRun("r1").get(1));
    assertThrows(NotFoundException.class, () -> store.runEvents().note("nope", "hello", null));
  }

  private List<RunEventKind> kinds(String runId) {
    return store.runEvents().forRun(runId).stream().map(RunEvent::kind).toList();
  }

  private static List<String> ids(List<Run> list) {
    List<String> ids = new ArrayList<>();
    list.forEach(r -> ids.add(r.id()));
    return ids;
  }
}
