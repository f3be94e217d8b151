package dev.lossbench.schema.repository;

import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Recalls;
import dev.lossbench.schema.record.RunStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** The {@code epoch_metric} table: one row per run and epoch. */
public final class EpochMetricRepository {
  private static final String INSERT = """
      INSERT INTO epoch_metric (run_id, epoch, train_loss, val_i2t_r1, val_i2t_r5, val_i2t_r10,
                                val_t2i_r1, val_t2i_r5, val_t2i_r10, lr, seconds, samples_per_s,
                                grad_norm)
      """;
  /** The values, from the run's row when the claim holds it (locked against a concurrent claim). */
  private static final String VALUES_IF_HELD = """
      SELECT CAST(:runId AS text), CAST(:epoch AS integer), CAST(:trainLoss AS double precision),
             CAST(:i2tR1 AS double precision), CAST(:i2tR5 AS double precision), CAST(:i2tR10 AS double precision),
             CAST(:t2iR1 AS double precision), CAST(:t2iR5 AS double precision), CAST(:t2iR10 AS double precision),
             CAST(:lr AS double precision), CAST(:seconds AS double precision),
             CAST(:samplesPerSecond AS double precision), CAST(:gradNorm AS double precision)
        FROM run WHERE id = :runId AND %s
         FOR SHARE
      """.formatted(RunAttempts.HOLDS);
  private static final String UPSERT = """
      ON CONFLICT (run_id, epoch) DO UPDATE
         SET train_loss = excluded.train_loss,
             val_i2t_r1 = excluded.val_i2t_r1,
             val_i2t_r5 = excluded.val_i2t_r5,
             val_i2t_r10 = excluded.val_i2t_r10,
             val_t2i_r1 = excluded.val_t2i_r1,
             val_t2i_r5 = excluded.val_t2i_r5,
             val_t2i_r10 = excluded.val_t2i_r10,
             lr = excluded.lr,
             seconds = excluded.seconds,
             samples_per_s = excluded.samples_per_s,
             grad_norm = excluded.grad_norm,
             recorded_at = now()
      RETURNING\s""" + Rows.EPOCH_METRIC_COLUMNS;

  private final Jdbi jdbi;

  public EpochMetricRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Stores the epoch's figures by the training attempt holding {@code claim} ({@link RunAttempts#claim}); a second
   * write of the same run and epoch (a resumed run repeating the epoch, a retried activity) replaces the first, in
   * one statement, so concurrent writers leave exactly one row. The statement writes only while the claim holds the
   * run, so a stale attempt cannot overwrite the figures of the attempt that replaced it.
   *
   * @throws StaleAttemptException when the claim no longer holds the run; nothing is written
   * @throws NotFoundException when the run is not registered
   */
  public EpochMetric upsert(EpochMetric metric, AttemptClaim claim) {
    Recalls v = metric.validation();
    try {
      return jdbi.withHandle(h -> {
        return h.createQuery(INSERT + VALUES_IF_HELD + UPSERT)
            .bind("runId", metric.runId())
            .bind("epoch", metric.epoch())
            .bind("trainLoss", metric.trainLoss())
            .bind("i2tR1", v == null ? null : v.i2tR1())
            .bind("i2tR5", v == null ? null : v.i2tR5())
            .bind("i2tR10", v == null ? null : v.i2tR10())
            .bind("t2iR1", v == null ? null : v.t2iR1())
            .bind("t2iR5", v == null ? null : v.t2iR5())
            .bind("t2iR10", v == null ? null : v.t2iR10())
            .bind("lr", metric.learningRate())
            .bind("seconds", metric.seconds())
            .bind("samplesPerSecond", metric.samplesPerSecond())
            .bind("gradNorm", metric.gradNorm())
            .bindMap(RunAttempts.holds(claim))
            .map(Rows::epochMetric)
            .findOne()
            .orElseThrow(() -> RunAttempts.stale(h, metric.runId(), claim));
      });
    } catch (RuntimeException e) {
      if (SqlFailure.of(e).filter(f -> f.is(SqlFailure.FOREIGN_KEY_VIOLATION, "epoch_metric_run_fk")).isPresent()) {
        throw new NotFoundException("run", metric.runId());
      }
      throw e;
    }
  }

  /** The run's epochs in order. */
  public List<EpochMetric> forRun(String runId) {
    return jdbi.withHandle(h -> h
        .createQuery("SELECT " + Rows.EPOCH_METRIC_COLUMNS + " FROM epoch_metric WHERE run_id = :runId ORDER BY epoch")
        .bind("runId", runId)
        .map(Rows::epochMetric)
        .list());
  }

  /**
   * The epochs of every run of the benchmark whose status is one of {@code statuses}, in one query: run id → its
   * epochs in order; runs without an epoch are absent.
   */
  public Map<String, List<EpochMetric>> forBenchmark(String benchmarkId, Set<RunStatus> statuses) {
    List<String> names = statuses.stream().map(RunStatus::sqlName).toList();
    Map<String, List<EpochMetric>> byRun = new LinkedHashMap<>();
    jdbi.useHandle(h -> h
        .createQuery("SELECT " + Rows.prefixed(Rows.EPOCH_METRIC_COLUMNS, "m")
            + " FROM epoch_metric m JOIN run r ON r.id = m.run_id"
            + " JOIN benchmark_run l ON l.run_id = r.id"
            + " WHERE l.benchmark_id = :benchmarkId AND r.status = ANY(:statuses) ORDER BY m.run_id, m.epoch")
        .bind("benchmarkId", benchmarkId)
        .bindArray("statuses", String.class, names)
        .map(Rows::epochMetric)
        .forEach(m -> byRun.computeIfAbsent(m.runId(), id -> new ArrayList<>()).add(m)));
    return byRun;
  }

  /** How many epochs each run of the benchmark has recorded, in one query; runs without an epoch are absent. */
  public Map<String, Integer> countsForBenchmark(String benchmarkId) {
    Map<String, Integer> counts = new HashMap<>();
    jdbi.useHandle(h -> h
        .createQuery("SELECT r.run_id AS id, (SELECT count(*) FROM epoch_metric m WHERE m.run_id = r.run_id)"
            + " AS epochs FROM benchmark_run r WHERE r.benchmark_id = :benchmarkId")
        .bind("benchmarkId", benchmarkId)
        .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getInt("epochs")))
        .forEach(e -> {
          if (e.getValue() > 0) {
            counts.put(e.getKey(), e.getValue());
          }
        }));
    return counts;
  }

  /**
   * The validation rSum of each of these runs at {@code epoch} (0-based), in one query; runs without that epoch, or
   * without its validation, are absent. An adaptive benchmark's rung of r epochs reads epoch r - 1.
   */
  public Map<String, Double> validationRsumAt(Collection<String> runIds, int epoch) {
    Map<String, Double> rsum = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT run_id, val_rsum FROM epoch_metric"
        + " WHERE run_id = ANY(:ids) AND epoch = :epoch AND val_rsum IS NOT NULL")
        .bindArray("ids", String.class, List.copyOf(runIds))
        .bind("epoch", epoch)
        .map((rs, ctx) -> Map.entry(rs.getString("run_id"), rs.getDouble("val_rsum")))
        .forEach(e -> rsum.put(e.getKey(), e.getValue())));
    return rsum;
  }

  /** The run's last recorded epoch. */
  public Optional<EpochMetric> latest(String runId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.EPOCH_METRIC_COLUMNS
        + " FROM epoch_metric WHERE run_id = :runId ORDER BY epoch DESC LIMIT 1")
        .bind("runId", runId)
        .map(Rows::epochMetric)
        .findOne());
  }
}
