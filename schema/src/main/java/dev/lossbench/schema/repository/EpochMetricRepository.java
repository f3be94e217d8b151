package dev.lossbench.schema.repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@code epoch_metric} table: one row per run and epoch. */
public final class EpochMetricRepository {
    private static final String COLUMNS = "run_id, epoch, train_loss, val_i2t_r1, val_i2t_r5, val_i2t_r10,"
            + " val_t2i_r1, val_t2i_r5, val_t2i_r10, lr, seconds, samples_per_s, grad_norm";

    private final Jdbi jdbi;

    public EpochMetricRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores the epoch's figures; a second write of the same run and epoch (a resumed run repeating the epoch, a
     * retried activity) replaces the first, in one statement, so concurrent writers leave exactly one row.
     *
     * @throws NotFoundException when the run is not registered
     */
    public EpochMetric upsert(EpochMetric metric) {
        Recalls v = metric.validation();
        try {
            return jdbi.withHandle(h -> h.createQuery("""
                            INSERT INTO epoch_metric (run_id, epoch, train_loss, val_i2t_r1, val_i2t_r5, val_i2t_r10,
                                                      val_t2i_r1, val_t2i_r5, val_t2i_r10, lr, seconds, samples_per_s,
                                                      grad_norm)
                            VALUES (:runId, :epoch, :trainLoss, :i2tR1, :i2tR5, :i2tR10, :t2iR1, :t2iR5, :t2iR10,
                                    :lr, :seconds, :samplesPerSecond, :gradNorm)
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
                            RETURNING\s""" + COLUMNS)
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
                    .map(EpochMetricRepository::map)
                    .one());
        } catch (RuntimeException e) {
            if (SqlFailure.of(e).filter(f -> f.is(SqlFailure.FOREIGN_KEY_VIOLATION, "epoch_metric_run_fk")).isPresent()) {
                throw new NotFoundException("run", metric.runId());
            }
            throw e;
        }
    }

    /** The run's epochs in order. */
    public List<EpochMetric> forRun(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM epoch_metric WHERE run_id = :runId ORDER BY epoch")
                .bind("runId", runId)
                .map(EpochMetricRepository::map)
                .list());
    }

    /** The run's last recorded epoch. */
    public Optional<EpochMetric> latest(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM epoch_metric WHERE run_id = :runId ORDER BY epoch DESC LIMIT 1")
                .bind("runId", runId)
                .map(EpochMetricRepository::map)
                .findOne());
    }

    private static EpochMetric map(ResultSet rs, StatementContext ctx) throws SQLException {
        Double i2tR1 = Columns.nullableDouble(rs, "val_i2t_r1");
        Recalls validation = i2tR1 == null ? null : new Recalls(
                i2tR1,
                rs.getDouble("val_i2t_r5"),
                rs.getDouble("val_i2t_r10"),
                rs.getDouble("val_t2i_r1"),
                rs.getDouble("val_t2i_r5"),
                rs.getDouble("val_t2i_r10"));
        return new EpochMetric(
                rs.getString("run_id"),
                rs.getInt("epoch"),
                rs.getDouble("train_loss"),
                validation,
                rs.getDouble("lr"),
                rs.getDouble("seconds"),
                rs.getDouble("samples_per_s"),
                Columns.nullableDouble(rs, "grad_norm"));
    }
}
