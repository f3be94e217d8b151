package dev.lossbench.schema.repository;

import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.Recalls;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.record.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@code result} table: one row per run and test protocol. */
public final class ResultRepository {
    private static final String COLUMNS = "run_id, split, i2t_r1, i2t_r5, i2t_r10, t2i_r1, t2i_r5, t2i_r10,"
            + " i2t_medr, i2t_meanr, t2i_medr, t2i_meanr";

    private final Jdbi jdbi;

    public ResultRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores a run's result for one split; evaluating the same run and split again replaces it.
     *
     * @throws NotFoundException when the run is not registered
     */
    public Result upsert(Result result) {
        return upsert(result, null);
    }

    /**
     * {@link #upsert(Result)} by the evaluation attempt holding {@code claim} ({@link RunRepository#claimEvaluation}):
     * the run row is read FOR SHARE and the result written in one transaction only while the claim holds the run, so
     * an evaluation presumed lost and replaced cannot overwrite the figures of the attempt that replaced it.
     *
     * @throws StaleAttemptException when the claim no longer holds the run; nothing is written
     * @throws NotFoundException when the run is not registered
     */
    public Result upsert(Result result, AttemptClaim claim) {
        Recalls r = result.recalls();
        try {
            return jdbi.inTransaction(h -> {
                if (claim != null) {
                    boolean holds = h.createQuery("SELECT " + RunRepository.HOLDS + " FROM run WHERE id = :id FOR SHARE")
                            .bind("id", result.runId())
                            .bind("running", RunStatus.RUNNING.sqlName())
                            .bind("execution", claim.execution())
                            .bind("attempt", claim.attempt())
                            .mapTo(Boolean.class)
                            .findOne()
                            .orElse(false);
                    if (!holds) {
                        throw RunRepository.stale(h, result.runId(), claim);
                    }
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
                            RETURNING\s""" + COLUMNS)
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
                    .map(ResultRepository::map)
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
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM result WHERE run_id = :runId AND split = :split")
                .bind("runId", runId)
                .bind("split", split)
                .map(ResultRepository::map)
                .findOne());
    }

    /**
     * The results of every run of the benchmark, in one query: run id → its results by split; runs without a
     * result are absent.
     */
    public Map<String, List<Result>> forBenchmark(String benchmarkId) {
        Map<String, List<Result>> byRun = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT " + prefixed("res") + " FROM result res JOIN benchmark_run l ON l.run_id = res.run_id"
                        + " WHERE l.benchmark_id = :benchmarkId ORDER BY res.run_id, res.split")
                .bind("benchmarkId", benchmarkId)
                .map(ResultRepository::map)
                .forEach(r -> byRun.computeIfAbsent(r.runId(), id -> new ArrayList<>()).add(r)));
        return byRun;
    }

    private static String prefixed(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    /** The run's results, by split. */
    public List<Result> forRun(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM result WHERE run_id = :runId ORDER BY split")
                .bind("runId", runId)
                .map(ResultRepository::map)
                .list());
    }

    private static Result map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Result(
                rs.getString("run_id"),
                rs.getString("split"),
                new Recalls(
                        rs.getDouble("i2t_r1"),
                        rs.getDouble("i2t_r5"),
                        rs.getDouble("i2t_r10"),
                        rs.getDouble("t2i_r1"),
                        rs.getDouble("t2i_r5"),
                        rs.getDouble("t2i_r10")),
                rs.getDouble("i2t_medr"),
                rs.getDouble("i2t_meanr"),
                rs.getDouble("t2i_medr"),
                rs.getDouble("t2i_meanr"));
    }
}
