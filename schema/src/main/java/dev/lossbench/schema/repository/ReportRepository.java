package dev.lossbench.schema.repository;

import dev.lossbench.schema.record.BenchmarkCompute;
import dev.lossbench.schema.record.ConvergenceRow;
import dev.lossbench.schema.record.LeaderboardRow;
import dev.lossbench.schema.record.LossDeltaRow;
import dev.lossbench.schema.record.RunStatusRow;
import dev.lossbench.schema.record.VariantRuns;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the views (leaderboard, convergence, loss_delta, run_status, variant_runs, run_progress): the same SQL Grafana
 * reads, so the CLI, the HTML report and the dashboards agree.
 */
public final class ReportRepository {
  private final Jdbi jdbi;

  public ReportRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The benchmark's leaderboard on each dataset's primary split, best mean rSum first. */
  public List<LeaderboardRow> leaderboard(String benchmarkId) {
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT * FROM leaderboard
         WHERE benchmark_id = :benchmarkId AND is_primary
         ORDER BY dataset_id, model, rank, variant""")
        .bind("benchmarkId", benchmarkId)
        .map(Rows::leaderboardRow)
        .list());
  }

  /** The benchmark's leaderboard on one split (e.g. {@code coco1k}), best mean rSum first. */
  public List<LeaderboardRow> leaderboard(String benchmarkId, String split) {
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT * FROM leaderboard
         WHERE benchmark_id = :benchmarkId AND split = :split
         ORDER BY dataset_id, model, rank, variant""")
        .bind("benchmarkId", benchmarkId)
        .bind("split", split)
        .map(Rows::leaderboardRow)
        .list());
  }

  /** Learning curves of the benchmark's variants, by dataset, model, variant and epoch. */
  public List<ConvergenceRow> convergence(String benchmarkId) {
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT * FROM convergence
         WHERE benchmark_id = :benchmarkId
         ORDER BY dataset_id, model, variant, epoch""")
        .bind("benchmarkId", benchmarkId)
        .map(Rows::convergenceRow)
        .list());
  }

  /** Each variant against the baseline, on each dataset's primary split, largest gain first. */
  public List<LossDeltaRow> lossDelta(String benchmarkId) {
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT * FROM loss_delta
         WHERE benchmark_id = :benchmarkId AND is_primary
         ORDER BY dataset_id, model, rsum_delta DESC NULLS LAST, variant""")
        .bind("benchmarkId", benchmarkId)
        .map(Rows::lossDeltaRow)
        .list());
  }

  /** How many of the benchmark's runs are in each status, and how long they took. */
  public List<RunStatusRow> runStatus(String benchmarkId) {
    return jdbi
        .withHandle(h -> h.createQuery("SELECT * FROM run_status WHERE benchmark_id = :benchmarkId ORDER BY status")
            .bind("benchmarkId", benchmarkId)
            .map(Rows::runStatusRow)
            .list());
  }

  /** What the benchmark's training cost ({@code benchmark_compute}); empty when there is no such benchmark. */
  public Optional<BenchmarkCompute> compute(String benchmarkId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM benchmark_compute WHERE benchmark_id = :benchmarkId")
        .bind("benchmarkId", benchmarkId)
        .map(Rows::benchmarkCompute)
        .findOne());
  }

  /**
   * The variants successive halving stopped ({@code variant_runs.stopped_by_halving}: stopped runs, none succeeded),
   * by dataset, model, latest rung first, then best validation rSum at it: what the leaderboard lists below its
   * ranked rows.
   */
  public List<VariantRuns> stoppedVariants(String benchmarkId) {
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT * FROM variant_runs
         WHERE benchmark_id = :benchmarkId AND stopped_by_halving
         ORDER BY dataset_id, model, stopped_epoch DESC, stopped_val_rsum_mean DESC NULLS LAST, variant""")
        .bind("benchmarkId", benchmarkId)
        .map(Rows::variantRuns)
        .list());
  }

  /** Every variant of the benchmark with its seeds used and stopped runs, by dataset, model and variant. */
  public List<VariantRuns> variantRuns(String benchmarkId) {
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT * FROM variant_runs
         WHERE benchmark_id = :benchmarkId
         ORDER BY dataset_id, model, variant""")
        .bind("benchmarkId", benchmarkId)
        .map(Rows::variantRuns)
        .list());
  }

  /** Run id → the rung (epochs trained) each stopped run of the benchmark was stopped at, in one query. */
  public Map<String, Integer> stoppedEpochs(String benchmarkId) {
    Map<String, Integer> epochs = new LinkedHashMap<>();
    jdbi.useHandle(h -> h.createQuery("""
        SELECT run_id, stopped_epoch FROM run_progress
         WHERE benchmark_id = :benchmarkId AND stopped_epoch IS NOT NULL
         ORDER BY run_id""")
        .bind("benchmarkId", benchmarkId)
        .map((rs, ctx) -> Map.entry(rs.getString("run_id"), rs.getInt("stopped_epoch")))
        .forEach(e -> epochs.put(e.getKey(), e.getValue())));
    return epochs;
  }
}
