package dev.lossbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.schema.record.BenchmarkStatus;
import dev.lossbench.schema.record.ConvergenceRow;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.LeaderboardRow;
import dev.lossbench.schema.record.LossDeltaRow;
import dev.lossbench.schema.record.Recalls;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunEvent;
import dev.lossbench.schema.record.RunEventKind;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.record.RunStatusRow;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.TestDatabase;
import dev.lossbench.schema.testing.UnfencedWrites;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A store made by the previous release upgrades cleanly. {@code src/test/resources/db/previous-release} holds the
 * migrations exactly as that release shipped them (V1..V3 and its R__views.sql, copied from
 * {@code schema/src/main/resources/db/migration} at commit 63b93f8); never change those copies. The test migrates a
 * fresh database with them, writes rows the way that release's SQL wrote them, then opens the store the normal way
 * ({@link MetricsStore#open(Database)}, i.e. {@link SchemaMigration} with today's migrations) and reads everything
 * back through the repositories and the views.
 *
 * <p>When a later release changes the schema, copy the then-current migrations over these (the previous release
 * becomes the one just shipped) and keep the assertions.
 */
@ExtendWith(MetricsStoreExtension.class)
class PreviousReleaseUpgradeTest {
  private static final String PREVIOUS_RELEASE = "classpath:db/previous-release";
  private static final List<String> VIEWS = List.of("benchmark_list", "convergence", "leaderboard", "loss_delta",
      "run_progress", "run_status");
  /** The views now: the previous release's and the ones added since (V8: comparisons). */
  private static final List<String> TABLES = List.of("benchmark", "dataset", "epoch_metric", "result", "run",
      "run_event");
  /** The views after the upgrade: V8 adds comparisons, V9 benchmark_compute, V12 variant_runs. */
  private static final List<String> VIEWS_NOW = List.of("benchmark_compute", "benchmark_list", "comparisons",
      "convergence", "leaderboard", "loss_delta", "run_progress", "run_status", "variant_runs");
  // columns that count up to now() for running runs, so differ between two reads
  private static final String CLOCK_COLUMNS = " - 'mean_seconds' - 'max_seconds' - 'duration_seconds'";
  /** Columns later releases added to the views (V6: the device of run_status and run_progress). */
  private static final String NEW_VIEW_COLUMNS = " - 'devices' - 'max_peak_device_memory_bytes' - 'device'"
      + " - 'peak_device_memory_bytes' - 'from_before' - 'cell_id' - 'epochs_trained' - 'training_seconds' - 'rank'"
      + " - 'stopped_epoch' - 'stopped_val_rsum'";

  private static final String BENCHMARK = "quick-prev";
  private static final String TRIPLET = "triplet-hn";
  private static final String UNIFIED = "unified:gamma=50,margin=0.2";
  private static final String INFONCE = "infonce:tau=0.05";

  private final TestDatabase db;

  PreviousReleaseUpgradeTest(TestDatabase db) {
    this.db = db;
  }

  /** Columns later migrations add (V7: the attempt claim), NULL on the previous release's rows. */
  private static final String LATER_COLUMNS = " - 'validation_is_test' - 'device' - 'peak_device_memory_bytes' - 'claim_execution' - 'claim_attempt'"
      + " - 'cell_id' - 'stopped_epoch'";

  @Test
  void aStoreMadeByThePreviousReleaseIsReadCorrectlyAfterTheUpgrade() throws SQLException {
    String name = db.createDatabase("previous_release");
    DataSource dataSource = db.dataSource(name);
    SchemaMigration.Outcome previous = new SchemaMigration(dataSource, List.of(PREVIOUS_RELEASE)).migrate();
    assertEquals("3", previous.schemaVersion(), "the previous release's store");
    assertEquals(VIEWS, views(dataSource), "the previous release had these views");
    writeRowsAsThePreviousReleaseDid(dataSource);
    Map<String, List<String>> viewsBefore = snapshot(dataSource, VIEWS, CLOCK_COLUMNS);
    Map<String, List<String>> tablesBefore = snapshot(dataSource, TABLES, LATER_COLUMNS);

    try (MetricsStore store = MetricsStore
        .open(Database.external(db.jdbcUrl(name), db.superuser(), db.superuserPassword()))) {
      assertEquals("14", store.schemaVersion());
      assertEquals(tablesBefore, snapshot(dataSource, TABLES, LATER_COLUMNS),
          "stored rows are not rewritten (V5 adds run.validation_is_test, V6 run.device and"
              + " run.peak_device_memory_bytes, V7 the attempt claim)");
      assertEquals(0, SchemaMigrationTest.count(dataSource, "SELECT count(*) FROM run WHERE validation_is_test"),
          "runs of the previous release did not validate on test data as far as the store knows");
      assertEquals(0, SchemaMigrationTest.count(dataSource,
          "SELECT count(*) FROM run WHERE device IS NOT NULL OR peak_device_memory_bytes IS NOT NULL"),
          "the previous release recorded no device");
      assertEquals(VIEWS_NOW, views(dataSource));
      assertEquals(viewsBefore, snapshot(dataSource, VIEWS, CLOCK_COLUMNS + NEW_VIEW_COLUMNS),
          "every view returns what it returned before the upgrade (besides the columns added since)");
      assertEquals(0,
          SchemaMigrationTest.count(dataSource, "SELECT count(*) FROM run_progress WHERE device IS NOT NULL"));
      for (String view : VIEWS_NOW) {
        assertEquals(1, SchemaMigrationTest.count(dataSource, "SELECT count(*) WHERE has_table_privilege("
            + "'lossbench_reader', '" + view + "', 'SELECT')"), "re-created views are granted again: " + view);
      }

      readsThePreviousRowsThroughTheRepositories(store);
      readsThePreviousRowsThroughTheViews(store, dataSource);
      keepsWorkingOnTheUpgradedStore(store);
    }
  }

  @Test
  void theUpgradeAppliesV4AndTheChangedViewsOnceAndThenNothing() throws SQLException {
    String name = db.createDatabase("previous_release_history");
    DataSource dataSource = db.dataSource(name);
    new SchemaMigration(dataSource, List.of(PREVIOUS_RELEASE)).migrate();

    SchemaMigration.Outcome upgrade = new SchemaMigration(dataSource).migrate();

    assertEquals(12, upgrade.migrationsExecuted(), "V4 to V14 and the changed R__views.sql");
    assertEquals("14", upgrade.schemaVersion());
    assertEquals(0, new SchemaMigration(dataSource).migrate().migrationsExecuted());
    assertEquals(2, SchemaMigrationTest.count(dataSource,
        "SELECT count(*) FROM flyway_schema_history WHERE script = 'R__views.sql' AND success"),
        "the previous release's R__views.sql and today's");
  }

  private static void writeRowsAsThePreviousReleaseDid(DataSource dataSource) throws SQLException {
    List<String> sql = new ArrayList<>(List.of(
        """
            INSERT INTO benchmark (id, name, spec, spec_hash, baseline_loss, status, created_at)
            VALUES ('quick-prev', 'quick', '{"seeds": [1, 2, 3]}', 'hash-prev', 'triplet-hn', 'running',
                    '2025-01-02 10:00:00+00')""",
        """
            INSERT INTO benchmark (id, name, spec, spec_hash, status, created_at, finished_at)
            VALUES ('old-done', 'old', '{"seeds": [1]}', 'hash-old', 'succeeded', '2025-01-01 09:00:00+00',
                    '2025-01-01 11:00:00+00')""",
        """
            INSERT INTO dataset (id, kind, generator_params, content_hash, split_sizes, primary_split, prepared_at)
            VALUES ('synthetic-s7', 'synthetic', '{"images": 200, "seed": 7}', 'sha256:abc',
                    '{"train": 160, "val": 20, "test": 20}', 'test', '2025-01-02 10:01:00+00')"""));
    run(sql, "t1", TRIPLET, 1, "succeeded", 1, null);
    run(sql, "t2", TRIPLET, 2, "succeeded", 1, null);
    run(sql, "u1", UNIFIED, 1, "succeeded", 1, null);
    run(sql, "u2", UNIFIED, 2, "failed", 2, "CUDA out of memory");
    run(sql, "u3", UNIFIED, 3, "diverged", 1, "train loss NaN at epoch 1, step 12");
    run(sql, "i1", INFONCE, 1, "running", 1, null);
    run(sql, "i2", INFONCE, 2, "pending", 0, null);
    run(sql, "i3", INFONCE, 3, "cancelled", 1, "benchmark cancelled");
    result(sql, "t1", "test", 35, 25); // rSum 340
    result(sql, "t2", "test", 37, 27); // rSum 344
    result(sql, "u1", "test", 40, 30); // rSum 350
    result(sql, "u1", "coco1k", 50, 40); // rSum 370
    result(sql, "u2", "test", 90, 90); // a failed run's result: must not count
    epoch(sql, "t1", 0, "1.5", 50.0);
    epoch(sql, "t1", 1, "1.25", 60.0);
    epoch(sql, "u1", 0, "1.0", 54.0);
    epoch(sql, "u1", 1, "0.75", 66.0);
    epoch(sql, "i1", 0, "2.0", 30.0);
    epoch(sql, "i1", 1, "1.75", null);
    epoch(sql, "u3", 0, "'NaN'", 12.0);
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }

  private static void run(List<String> sql, String id, String variant, long seed, String status, int attempts,
      String error) {
    String lossName = variant.contains(":") ? variant.substring(0, variant.indexOf(':')) : variant;
    boolean started = attempts > 0;
    boolean finished = started && !status.equals("running");
    sql.add("INSERT INTO run (id, benchmark_id, dataset_id, model, loss_name, loss_params, variant, seed,"
        + " training_config, status, attempts, worker, error, best_epoch, checkpoint_location, created_at,"
        + " started_at, finished_at) VALUES ('" + id + "', '" + BENCHMARK + "', 'synthetic-s7', 'vse-gru', '"
        + lossName + "', '{\"variant\": \"" + variant + "\"}', '" + variant + "', " + seed
        + ", '{\"epochs\": 3, \"batch_size\": 128}', '" + status + "', " + attempts + ", "
        + (started ? "'gpu-0'" : "NULL") + ", " + (error == null ? "NULL" : "'" + error + "'") + ", "
        + (finished ? "1, 'file:///ckpt/" + id + "/best.pt'" : "NULL, NULL")
        + ", '2025-01-02 10:02:00+00', " + (started ? "'2025-01-02 10:03:00+00'" : "NULL") + ", "
        + (finished ? "'2025-01-02 10:08:00+00'" : "NULL") + ")");
    sql.add(
        "INSERT INTO run_event (run_id, kind, to_status, attempt) VALUES ('" + id + "', 'registered', 'pending', 0)");
    if (started) {
      sql.add("INSERT INTO run_event (run_id, kind, from_status, to_status, worker, attempt)"
          + " VALUES ('" + id + "', 'status', 'pending', 'running', 'gpu-0', 1)");
    }
    if (finished) {
      sql.add("INSERT INTO run_event (run_id, kind, from_status, to_status, worker, attempt, message)"
          + " VALUES ('" + id + "', 'status', 'running', '" + status + "', 'gpu-0', " + attempts + ", "
          + (error == null ? "NULL" : "'" + error + "'") + ")");
    }
  }

  /** Other four recalls 70 each. */
  private static void result(List<String> sql, String runId, String split, double i2tR1, double t2iR1) {
    sql.add("INSERT INTO result (run_id, split, i2t_r1, i2t_r5, i2t_r10, t2i_r1, t2i_r5, t2i_r10, i2t_medr,"
        + " i2t_meanr, t2i_medr, t2i_meanr) VALUES ('" + runId + "', '" + split + "', " + i2tR1 + ", 70, 70, "
        + t2iR1 + ", 70, 70, 2, 7.5, 3, 11.25)");
  }

  /** Validation recalls each a sixth of {@code valRsum}, or none. */
  private static void epoch(List<String> sql, String runId, int epoch, String trainLoss, Double valRsum) {
    String v = valRsum == null ? "NULL" : String.valueOf(valRsum / 6);
    sql.add("INSERT INTO epoch_metric (run_id, epoch, train_loss, val_i2t_r1, val_i2t_r5, val_i2t_r10, val_t2i_r1,"
        + " val_t2i_r5, val_t2i_r10, lr, seconds, samples_per_s, grad_norm) VALUES ('" + runId + "', " + epoch
        + ", " + trainLoss + ", " + v + ", " + v + ", " + v + ", " + v + ", " + v + ", " + v
        + ", 0.0002, 12.5, 800, 1.5)");
  }

  private static void readsThePreviousRowsThroughTheRepositories(MetricsStore store) {
    Benchmark benchmark = store.benchmarks().find(BENCHMARK).orElseThrow();
    assertEquals("quick", benchmark.name());
    assertEquals(BenchmarkStatus.RUNNING, benchmark.status());
    assertEquals(TRIPLET, benchmark.baselineLoss());
    assertNull(benchmark.finishedAt());
    assertEquals(BenchmarkStatus.SUCCEEDED, store.benchmarks().find("old-done").orElseThrow().status());

    Map<String, Run> runs = store.runs().byBenchmark(BENCHMARK).stream()
        .collect(Collectors.toMap(Run::id, Function.identity()));
    Map<String, RunStatus> statuses = new LinkedHashMap<>();
    runs.values().forEach(r -> statuses.put(r.id(), r.status()));
    assertEquals(Map.of("t1", RunStatus.SUCCEEDED, "t2", RunStatus.SUCCEEDED, "u1", RunStatus.SUCCEEDED,
        "u2", RunStatus.FAILED, "u3", RunStatus.DIVERGED, "i1", RunStatus.RUNNING, "i2", RunStatus.PENDING,
        "i3", RunStatus.CANCELLED), statuses);
    Run failed = runs.get("u2");
    assertEquals("CUDA out of memory", failed.error());
    assertEquals(2, failed.attempts());
    assertEquals("gpu-0", failed.worker());
    assertEquals(1, failed.bestEpoch());
    assertEquals("file:///ckpt/u2/best.pt", failed.checkpointLocation());
    assertEquals(UNIFIED, failed.variant());
    assertEquals("unified", failed.lossName());
    assertEquals(3, failed.trainingConfig().get("epochs").asInt());
    Run pending = runs.get("i2");
    assertNull(pending.startedAt());
    assertNull(pending.worker());
    assertEquals(Set.of("t1", "t2", "u1"), store.runs().succeededIds(BENCHMARK));
    assertEquals(Set.of("u2", "u3", "i3"), store.runs()
        .byBenchmark(BENCHMARK, Set.of(RunStatus.FAILED, RunStatus.DIVERGED, RunStatus.CANCELLED))
        .stream().map(Run::id).collect(Collectors.toSet()));

    List<RunEvent> events = store.runEvents().forRun("u3");
    assertEquals(List.of(RunEventKind.REGISTERED, RunEventKind.STATUS, RunEventKind.STATUS),
        events.stream().map(RunEvent::kind).toList());
    assertNull(events.get(0).fromStatus());
    assertEquals(RunStatus.PENDING, events.get(0).toStatus());
    assertEquals(RunStatus.RUNNING, events.get(2).fromStatus());
    assertEquals(RunStatus.DIVERGED, events.get(2).toStatus());

    List<EpochMetric> curve = store.epochMetrics().forRun("i1");
    assertEquals(2, curve.size());
    assertEquals(30.0, curve.get(0).validationRsum(), 1e-9);
    assertNull(curve.get(1).validation(), "an epoch without validation stays without");
    assertTrue(Double.isNaN(store.epochMetrics().forRun("u3").get(0).trainLoss()), "NaN is kept");

    Result coco = store.results().find("u1", "coco1k").orElseThrow();
    assertEquals(370.0, coco.rsum(), 1e-9);
    assertEquals(50.0, coco.recalls().i2tR1(), 1e-9);
    assertEquals(11.25, coco.t2iMeanRank(), 1e-9);
  }

  private static void readsThePreviousRowsThroughTheViews(MetricsStore store, DataSource dataSource)
      throws SQLException {
    List<LeaderboardRow> leaderboard = store.reports().leaderboard(BENCHMARK);
    assertEquals(List.of(UNIFIED, TRIPLET), leaderboard.stream().map(LeaderboardRow::variant).toList(),
        "succeeded seeds only, best mean rSum first");
    LeaderboardRow unified = leaderboard.get(0);
    assertEquals(1, unified.seeds(), "the failed seed's result does not count");
    assertEquals(350.0, unified.rsumMean(), 1e-9);
    assertNull(unified.rsumStd());
    LeaderboardRow triplet = leaderboard.get(1);
    assertEquals(2, triplet.seeds());
    assertEquals(342.0, triplet.rsumMean(), 1e-9);
    assertEquals(Math.sqrt(8), triplet.rsumStd(), 1e-9);
    assertEquals(2L, triplet.bestSeed());
    assertEquals("t2", triplet.bestRunId());
    assertEquals(List.of("coco1k"), store.reports().leaderboard(BENCHMARK, "coco1k").stream()
        .map(LeaderboardRow::split).toList());

    Map<String, Double> deltas = store.reports().lossDelta(BENCHMARK).stream()
        .collect(Collectors.toMap(LossDeltaRow::variant, LossDeltaRow::rsumDelta));
    assertEquals(Map.of(UNIFIED, 8.0, TRIPLET, 0.0), deltas);

    Map<RunStatus, Integer> byStatus = store.reports().runStatus(BENCHMARK).stream()
        .collect(Collectors.toMap(RunStatusRow::status, RunStatusRow::runs));
    assertEquals(Map.of(RunStatus.SUCCEEDED, 3, RunStatus.FAILED, 1, RunStatus.DIVERGED, 1, RunStatus.RUNNING, 1,
        RunStatus.PENDING, 1, RunStatus.CANCELLED, 1), byStatus);

    // running and succeeded runs only: the diverged run's NaN does not reach the curve
    List<ConvergenceRow> convergence = store.reports().convergence(BENCHMARK);
    Map<String, Double> unifiedCurve = convergence.stream().filter(r -> r.variant().equals(UNIFIED))
        .collect(Collectors.toMap(r -> "epoch " + r.epoch(), ConvergenceRow::trainLossMean));
    assertEquals(Map.of("epoch 0", 1.0, "epoch 1", 0.75), unifiedCurve);
    ConvergenceRow infonceEpoch1 = convergence.stream()
        .filter(r -> r.variant().equals(INFONCE) && r.epoch() == 1).findFirst().orElseThrow();
    assertEquals(1, infonceEpoch1.seeds());
    assertEquals(0, infonceEpoch1.validatedSeeds());

    assertEquals(List.of("old-done|old|succeeded|0", "quick-prev|quick|running|8"), rows(dataSource,
        "SELECT concat_ws('|', benchmark_id, benchmark_name, status, runs) FROM benchmark_list ORDER BY 1"));
    assertEquals(List.of("i1|running|3|1|-|-", "u2|failed|3|-|-|CUDA out of memory", "u3|diverged|3|0|12|"
        + "train loss NaN at epoch 1, step 12"), rows(dataSource,
            "SELECT concat_ws('|', run_id, status,"
                + " coalesce(planned_epochs::text, '-'), coalesce(last_epoch::text, '-'),"
                + " coalesce(round(last_val_rsum)::text, '-'), coalesce(error, '-'))"
                + " FROM run_progress WHERE run_id IN ('i1', 'u2', 'u3') ORDER BY 1"));
    assertTrue(SchemaMigrationTest.count(dataSource, "SELECT count(*) FROM run_progress"
        + " WHERE run_id = 'i1' AND duration_seconds > 0") == 1, "a running run counts up to now");
  }

  private static void keepsWorkingOnTheUpgradedStore(MetricsStore store) {
    Run started = store.runs().start("i2", "gpu-1");
    assertEquals(RunStatus.RUNNING, started.status());
    assertEquals(1, started.attempts());
    assertNotNull(started.startedAt());
    assertNull(started.finishedAt());
    UnfencedWrites.upsert(store, new Result("i2", "test", new Recalls(45, 70, 70, 33, 70, 70), 2, 7.5, 3, 11.25));
    Run finished = store.runs().finish("i2", RunStatus.SUCCEEDED, "ignored for succeeded");
    assertEquals(RunStatus.SUCCEEDED, finished.status());
    assertNotNull(finished.finishedAt());
    assertNull(finished.error());

    Run requeued = store.runs().requeue("u2", "benchmark submitted again");
    assertEquals(RunStatus.PENDING, requeued.status());
    assertNull(requeued.startedAt());
    assertNull(requeued.finishedAt());
    assertNull(requeued.error());
    assertEquals(RunEventKind.RESUME, last(store.runEvents().forRun("u2")).kind());

    assertEquals(List.of(INFONCE, UNIFIED, TRIPLET), store.reports().leaderboard(BENCHMARK).stream()
        .map(LeaderboardRow::variant).toList(), "infonce's new seed (rSum 358) leads");
    assertFalse(store.runs().succeededIds(BENCHMARK).contains("u2"));
  }

  /**
   * V9: the previous release's runs keep their ids and their benchmark (linked through benchmark_run), and where
   * the benchmark's stored spec lists its cells, each run is found by its cell's content identity: a later
   * benchmark with that cell links the old run ("from before") instead of training it. A TorchScript benchmark's
   * runs get no identity (the previous release knew its module by path only): they are never reused.
   */
  @Test
  void aPreviousReleasesRunIsLinkedToALaterBenchmarkWithItsCell() throws Exception {
    String name = db.createDatabase("previous_release_cells");
    DataSource dataSource = db.dataSource(name);
    new SchemaMigration(dataSource, List.of(PREVIOUS_RELEASE)).migrate();
    String before = "benchmark-quick-0123456789abcdef0123";
    String cell = "a1b2c3d4e5f6a7b8c9d0";
    String tsBefore = "benchmark-clip-0123456789abcdef0123";
    // the previous release's run id: 'run-' + 20 hex digits of SHA-256(benchmark id + '/' + cell id)
    String oldRun = "run-" + sha256(before + "/" + cell).substring(0, 20);
    String tsRun = "run-" + sha256(tsBefore + "/" + cell).substring(0, 20);
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      for (String[] b : List.of(new String[]{before, "vse-gru"}, new String[]{tsBefore, "torchscript"})) {
        st.execute("INSERT INTO benchmark (id, name, spec, spec_hash, status) VALUES ('" + b[0] + "', 'quick',"
            + " '{\"models\": [{\"name\": \"" + b[1] + "\"}], \"cells\": [{\"id\": \"" + cell
            + "\", \"seed\": 1}]}', 'h', 'succeeded')");
      }
      st.execute("INSERT INTO dataset (id, kind, generator_params) VALUES ('synthetic-s7', 'synthetic', '{}')");
      for (String[] r : List.of(new String[]{oldRun, before}, new String[]{tsRun, tsBefore})) {
        st.execute("INSERT INTO run (id, benchmark_id, dataset_id, model, loss_name, variant, seed, training_config,"
            + " status, attempts) VALUES ('" + r[0] + "', '" + r[1] + "', 'synthetic-s7', 'vse-gru', 'infonce',"
            + " 'infonce', 1, '{\"epochs\": 3}', 'succeeded', 1)");
      }
      st.execute("INSERT INTO result (run_id, split, i2t_r1, i2t_r5, i2t_r10, t2i_r1, t2i_r5, t2i_r10, i2t_medr,"
          + " i2t_meanr, t2i_medr, t2i_meanr) VALUES ('" + oldRun
          + "', 'test', 40, 70, 70, 30, 70, 70, 2, 7.5, 3, 11.25)");
    }

    try (MetricsStore store = MetricsStore
        .open(Database.external(db.jdbcUrl(name), db.superuser(), db.superuserPassword()))) {
      assertEquals(Set.of(oldRun), store.runs().succeededIds(before), "still its benchmark's run");
      assertEquals(java.util.Optional.of(cell), store.runs().cellId(oldRun));
      assertEquals(java.util.Optional.empty(), store.runs().cellId(tsRun), "a TorchScript cell is not reused");
      assertEquals(Map.of(cell, oldRun), store.runs().runIdsByCell(List.of(cell, "ffffffffffffffffffff")));

      // a later benchmark with one more seed: the old cell is linked from before, the new one registered
      String later = "benchmark-quick-fedcba9876543210fedc";
      store.benchmarks().register(new dev.lossbench.schema.record.BenchmarkDefinition(later, "quick",
          new com.fasterxml.jackson.databind.ObjectMapper().readTree("{}"), "h2", null));
      dev.lossbench.schema.record.RunDefinition old = store.runs().find(oldRun).orElseThrow().definition();
      dev.lossbench.schema.record.RunDefinition linked = new dev.lossbench.schema.record.RunDefinition(
          oldRun, later, old.datasetId(), old.model(), old.lossName(), old.lossParams(), old.variant(),
          old.seed(), old.trainingConfig());
      dev.lossbench.schema.record.RunDefinition seed2 = new dev.lossbench.schema.record.RunDefinition(
          "run-b1b2c3d4e5f6a7b8c9d0", later, old.datasetId(), old.model(), old.lossName(), old.lossParams(),
          old.variant(), 2, old.trainingConfig());
      store.runs().registerCells(List.of(linked, seed2), List.of(cell, "b1b2c3d4e5f6a7b8c9d0"));
      assertEquals(Set.of(oldRun), store.runs().fromBeforeIds(later));
      assertEquals(Set.of(oldRun), store.runs().succeededIds(later));
      assertEquals(before, store.runs().find(oldRun).orElseThrow().benchmarkId(), "the benchmark that made it");
      assertEquals(List.of("infonce|1|350.0"), store.reports().leaderboard(later).stream()
          .map(l -> l.variant() + "|" + l.seeds() + "|" + l.rsumMean()).toList(), "its figures count in the later one");
      dev.lossbench.schema.record.BenchmarkCompute compute = store.reports().compute(later).orElseThrow();
      assertEquals(List.of(2, 1, 0, 0, 6), List.of(compute.runs(), compute.runsFromBefore(), compute.runsTrained(),
          compute.runEpochsTrained(), compute.fullGridRunEpochs()));
    }
  }

  /**
   * V13: a benchmark of an earlier release gets the names its stored spec gives its datasets, as rows
   * ({@code benchmark_dataset}, read by {@link dev.lossbench.schema.repository.BenchmarkRepository#datasetNames});
   * a spec that lists no datasets (or entries without a text id and name) gives none.
   */
  @Test
  void aPreviousReleasesBenchmarkKeepsItsDatasetNames() throws Exception {
    String name = db.createDatabase("previous_release_names");
    DataSource dataSource = db.dataSource(name);
    new SchemaMigration(dataSource, List.of(PREVIOUS_RELEASE)).migrate();
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO benchmark (id, name, spec, spec_hash) VALUES ('named', 'quick', '{\"datasets\": ["
          + "{\"id\": \"synthetic-s7\", \"name\": \"scenes\", \"kind\": \"synthetic\"},"
          + " {\"id\": \"coco-precomp-1a2b\", \"name\": \"coco\"},"
          + " {\"id\": \"no-name\"}, {\"name\": \"no-id\"}, \"not an object\"]}', 'h')");
      st.execute(
          "INSERT INTO benchmark (id, name, spec, spec_hash) VALUES ('unnamed', 'old', '{\"seeds\": [1]}', 'h')");
      st.execute("INSERT INTO benchmark (id, name, spec, spec_hash) VALUES ('odd', 'odd', '{\"datasets\": {}}', 'h')");
    }

    try (MetricsStore store = MetricsStore
        .open(Database.external(db.jdbcUrl(name), db.superuser(), db.superuserPassword()))) {
      assertEquals(Map.of("synthetic-s7", "scenes", "coco-precomp-1a2b", "coco"),
          store.benchmarks().datasetNames("named"));
      assertEquals(List.of("coco-precomp-1a2b", "synthetic-s7"),
          List.copyOf(store.benchmarks().datasetNames("named").keySet()),
          "ordered by dataset id");
      assertEquals(Map.of(), store.benchmarks().datasetNames("unnamed"), "a spec without datasets names none");
      assertEquals(Map.of(), store.benchmarks().datasetNames("odd"));
      assertEquals(Map.of(), store.benchmarks().datasetNames("missing"));
    }
  }

  private static String sha256(String text) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }

  private static List<String> views(DataSource dataSource) throws SQLException {
    return rows(dataSource, "SELECT table_name FROM information_schema.views"
        + " WHERE table_schema = current_schema() ORDER BY table_name");
  }

  /** Every row of each relation as JSON text (minus {@code minus}), sorted. */
  private static Map<String, List<String>> snapshot(DataSource dataSource, List<String> relations, String minus)
      throws SQLException {
    Map<String, List<String>> snapshot = new LinkedHashMap<>();
    for (String relation : relations) {
      snapshot.put(relation, rows(dataSource, "SELECT (to_jsonb(x)" + minus + ")::text FROM " + relation
          + " x ORDER BY 1"));
    }
    return snapshot;
  }

  private static List<String> rows(DataSource dataSource, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
