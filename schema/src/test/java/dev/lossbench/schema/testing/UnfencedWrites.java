package dev.lossbench.schema.testing;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Recalls;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.record.Run;
import java.sql.SQLException;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/**
 * A test's figures written without a claim: what lossbench itself never does (every attempt writes through the fence
 * of {@code store.runAttempts()}), but what a test that only needs figures in the store, in any run status, does. Each
 * write replaces an earlier one of the same key, as the fenced writes do, and is read back through the store's own
 * repositories.
 */
public final class UnfencedWrites {
  private UnfencedWrites() {}

  /**
   * Stores the epoch's figures; a second write of the same run and epoch replaces the first.
   *
   * @throws NotFoundException when the run is not registered
   */
  public static EpochMetric upsert(MetricsStore store, EpochMetric metric) {
    Recalls v = metric.validation();
    write(store, metric.runId(), """
        INSERT INTO epoch_metric (run_id, epoch, train_loss, val_i2t_r1, val_i2t_r5, val_i2t_r10,
                                  val_t2i_r1, val_t2i_r5, val_t2i_r10, lr, seconds, samples_per_s, grad_norm)
        VALUES (:runId, :epoch, :trainLoss, :i2tR1, :i2tR5, :i2tR10, :t2iR1, :t2iR5, :t2iR10,
                :lr, :seconds, :samplesPerSecond, :gradNorm)
        ON CONFLICT (run_id, epoch) DO UPDATE
           SET train_loss = excluded.train_loss, val_i2t_r1 = excluded.val_i2t_r1,
               val_i2t_r5 = excluded.val_i2t_r5, val_i2t_r10 = excluded.val_i2t_r10,
               val_t2i_r1 = excluded.val_t2i_r1, val_t2i_r5 = excluded.val_t2i_r5,
               val_t2i_r10 = excluded.val_t2i_r10, lr = excluded.lr, seconds = excluded.seconds,
               samples_per_s = excluded.samples_per_s, grad_norm = excluded.grad_norm, recorded_at = now()""",
        update -> update
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
            .bind("gradNorm", metric.gradNorm()));
    return store.epochMetrics().forRun(metric.runId()).stream()
        .filter(m -> m.epoch() == metric.epoch())
        .findFirst()
        .orElseThrow();
  }

  /**
   * Stores a run's result for one split; evaluating the same run and split again replaces it.
   *
   * @throws NotFoundException when the run is not registered
   */
  public static Result upsert(MetricsStore store, Result result) {
    Recalls r = result.recalls();
    write(store, result.runId(), """
        INSERT INTO result (run_id, split, i2t_r1, i2t_r5, i2t_r10, t2i_r1, t2i_r5, t2i_r10,
                            i2t_medr, i2t_meanr, t2i_medr, t2i_meanr)
        VALUES (:runId, :split, :i2tR1, :i2tR5, :i2tR10, :t2iR1, :t2iR5, :t2iR10,
                :i2tMedr, :i2tMeanr, :t2iMedr, :t2iMeanr)
        ON CONFLICT (run_id, split) DO UPDATE
           SET i2t_r1 = excluded.i2t_r1, i2t_r5 = excluded.i2t_r5, i2t_r10 = excluded.i2t_r10,
               t2i_r1 = excluded.t2i_r1, t2i_r5 = excluded.t2i_r5, t2i_r10 = excluded.t2i_r10,
               i2t_medr = excluded.i2t_medr, i2t_meanr = excluded.i2t_meanr,
               t2i_medr = excluded.t2i_medr, t2i_meanr = excluded.t2i_meanr, recorded_at = now()""",
        update -> update
            .bind("runId", result.runId())
            .bind("split", result.split())
            .bind("i2tR1", r.i2tR1())
            .bind("i2tR5", r.i2tR5())
            .bind("i2tR10", r.i2tR10())
            .bind("t2iR1", r.t2iR1())
            .bind("t2iR5", r.t2iR5())
            .bind("t2iR10", r.t2iR10())
            .bind("i2tMedr", result.i2tMedianRank())
            .bind("i2tMeanr", result.i2tMeanRank())
            .bind("t2iMedr", result.t2iMedianRank())
            .bind("t2iMeanr", result.t2iMeanRank()));
    return store.results().find(result.runId(), result.split()).orElseThrow();
  }

  /**
   * Records the latest checkpoint, and the best epoch so far when {@code bestEpoch} is not null, in any status.
   *
   * @throws NotFoundException when there is no such run
   */
  public static Run recordCheckpoint(MetricsStore store, String runId, String checkpointLocation, Integer bestEpoch) {
    int updated = write(store, runId, """
        UPDATE run SET checkpoint_location = :location, best_epoch = coalesce(:bestEpoch, best_epoch)
         WHERE id = :id""",
        update -> update.bind("id", runId).bind("location", checkpointLocation).bind("bestEpoch", bestEpoch));
    if (updated == 0) {
      throw new NotFoundException("run", runId);
    }
    return store.runs().find(runId).orElseThrow();
  }

  // a missing run is the store's NotFoundException, as for the fenced writes
  private static int write(MetricsStore store, String runId, String sql, UnaryOperator<Update> binds) {
    try {
      return Jdbi.create(store.database().dataSource()).withHandle(h -> binds.apply(h.createUpdate(sql)).execute());
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SQLException failure && "23503".equals(failure.getSQLState())) {
          throw new NotFoundException("run", runId);
        }
      }
      throw e;
    }
  }
}
