package dev.lossbench.schema.repository;

import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.Recalls;
import dev.lossbench.schema.record.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The {@code result} table: one row per run and test protocol. */
public final class ResultRepository {
  private final Jdbi jdbi;

  public ResultRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Stores a run's result for one split by the evaluation attempt holding {@code claim}
   * ({@link RunAttempts#claimEvaluation}); evaluating the same run and split again replaces it. The run row is read
   * FOR SHARE and the result written in one transaction only while the claim holds the run, so an evaluation
   * presumed lost and replaced cannot overwrite the figures of the attempt that replaced it.
   *
   * @throws StaleAttemptException when the claim no longer holds the run; nothing is written
   * @throws NotFoundException when the run is not registered
   */
  public Result upsert(Result result, AttemptClaim claim) {
    Recalls r = result.recalls();
    try {
      return jdbi.inTransaction(h -> {
        boolean holds = h.createQuery("SELECT " + RunAttempts.HOLDS + " FROM run WHERE id = :id FOR SHARE")
            .bind("id", result.runId())
            .bindMap(RunAttempts.holds(claim))
            .mapTo(Boolean.class)
            .findOne()
            .orElse(false);
        if (!holds) {
          throw RunAttempts.stale(h, result.runId(), claim);
        }
        return h.createQuery("""
            INSERT INTO result (run_id, split, i2t_r1, i2t_r5, i2t_r10, t2i_r1, t2i_r5, t2i_r10,
                                i2t_medr, i2t_meanr, t2i_medr, t2i_meanr)
            VALUES (:runId, :split, :i2tR1, :i2tR5, :i2tR10, :t2iR1, :t2iR5, :t2iR10,
                    :i2tMedr, :i2tMeanr, :t2iMedr, :t2iMeanr)
            ON CONFLICT (run_id, split) DO UPDATE
               SET i2t_r1 = excluded.i2t_r1,
                   i2t_r5 = excluded.i2t_r5,
                   i2t_r10 = excluded.i2t_r10,
                   t2i_r1 = excluded.t2i_r1,
                   t2i_r5 = excluded.t2i_r5,
                   t2i_r10 = excluded.t2i_r10,
                   i2t_medr = excluded.i2t_medr,
                   i2t_meanr = excluded.i2t_meanr,
                   t2i_medr = excluded.t2i_medr,
                   t2i_meanr = excluded.t2i_meanr,
                   recorded_at = now()
            RETURNING\s""" + Rows.RESULT_COLUMNS)
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
            .bind("t2iMeanr", result.t2iMeanRank())
            .map(Rows::result)
            .one();
      });
    } catch (RuntimeException e) {
      if (SqlFailure.of(e).filter(f -> f.is(SqlFailure.FOREIGN_KEY_VIOLATION, "result_run_fk")).isPresent()) {
        throw new NotFoundException("run", result.runId());
      }
      throw e;
    }
  }

  public Optional<Result> find(String runId, String split) {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT " + Rows.RESULT_COLUMNS + " FROM result WHERE run_id = :runId AND split = :split")
            .bind("runId", runId)
            .bind("split", split)
            .map(Rows::result)
            .findOne());
  }

  /**
   * The results of every run of the benchmark, in one query: run id → its results by split; runs without a
   * result are absent.
   */
  public Map<String, List<Result>> forBenchmark(String benchmarkId) {
    Map<String, List<Result>> byRun = new LinkedHashMap<>();
    jdbi.useHandle(h -> h
        .createQuery("SELECT " + Rows.prefixed(Rows.RESULT_COLUMNS, "res")
            + " FROM result res JOIN benchmark_run l ON l.run_id = res.run_id"
            + " WHERE l.benchmark_id = :benchmarkId ORDER BY res.run_id, res.split")
        .bind("benchmarkId", benchmarkId)
        .map(Rows::result)
        .forEach(r -> byRun.computeIfAbsent(r.runId(), id -> new ArrayList<>()).add(r)));
    return byRun;
  }

  /** The run's results, by split. */
  public List<Result> forRun(String runId) {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT " + Rows.RESULT_COLUMNS + " FROM result WHERE run_id = :runId ORDER BY split")
            .bind("runId", runId)
            .map(Rows::result)
            .list());
  }
}
