package dev.lossbench.schema.repository;

import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.schema.record.BenchmarkCompute;
import dev.lossbench.schema.record.BenchmarkStatus;
import dev.lossbench.schema.record.ComparisonRow;
import dev.lossbench.schema.record.ConvergenceRow;
import dev.lossbench.schema.record.Dataset;
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
import dev.lossbench.schema.record.SeedFigures;
import dev.lossbench.schema.record.TrainingAttempt;
import dev.lossbench.schema.record.VariantRuns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * One mapper per record: how a row of a table or view becomes its record, used by every repository that reads it
 * ({@code .map(Rows::run)}), with the column list a table's mappers expect where a repository selects columns
 * rather than {@code *}. Static methods rather than mappers registered on the Jdbi instance, so that a repository
 * works on any Jdbi it is given.
 */
final class Rows {
  /** The run columns {@link #run} reads (jsonb as text). */
  static final String RUN_COLUMNS = "id, benchmark_id, dataset_id, model, loss_name, loss_params::text AS loss_params,"
      + " variant, seed, training_config::text AS training_config, status, attempts, worker, error, best_epoch,"
      + " checkpoint_location, created_at, started_at, finished_at, validation_is_test, device, peak_device_memory_bytes";
  static final String BENCHMARK_COLUMNS = "id, name, spec::text AS spec, spec_hash, baseline_loss, status, created_at, finished_at";
  static final String DATASET_COLUMNS = "id, kind, path, generator_params::text AS generator_params, content_hash,"
      + " split_sizes::text AS split_sizes, primary_split, created_at, prepared_at";
  static final String EPOCH_METRIC_COLUMNS = "run_id, epoch, train_loss, val_i2t_r1, val_i2t_r5, val_i2t_r10,"
      + " val_t2i_r1, val_t2i_r5, val_t2i_r10, lr, seconds, samples_per_s, grad_norm";
  static final String RESULT_COLUMNS = "run_id, split, i2t_r1, i2t_r5, i2t_r10, t2i_r1, t2i_r5, t2i_r10,"
      + " i2t_medr, i2t_meanr, t2i_medr, t2i_meanr";
  static final String RUN_EVENT_COLUMNS = "id, run_id, occurred_at, kind, from_status, to_status, worker, attempt, message";

  private Rows() {}

  /** {@code columns} (a list as above, without expressions) each prefixed with the table's {@code alias}. */
  static String prefixed(String columns, String alias) {
    return alias + "." + columns.replace(", ", ", " + alias + ".");
  }

  static Run run(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Run(
        rs.getString("id"),
        rs.getString("benchmark_id"),
        rs.getString("dataset_id"),
        rs.getString("model"),
        rs.getString("loss_name"),
        Jsonb.read(rs.getString("loss_params")),
        rs.getString("variant"),
        rs.getLong("seed"),
        Jsonb.read(rs.getString("training_config")),
        RunStatus.fromSql(rs.getString("status")),
        rs.getInt("attempts"),
        rs.getString("worker"),
        rs.getString("error"),
        Columns.nullableInt(rs, "best_epoch"),
        rs.getString("checkpoint_location"),
        Columns.instant(rs, "created_at"),
        Columns.instant(rs, "started_at"),
        Columns.instant(rs, "finished_at"),
        rs.getBoolean("validation_is_test"),
        rs.getString("device"),
        Columns.nullableLong(rs, "peak_device_memory_bytes"));
  }

  /** The attempt in {@code claim_execution} and {@code claim_attempt}; null when no attempt has claimed. */
  static AttemptClaim attemptClaim(ResultSet rs) throws SQLException {
    return rs.getString("claim_execution") == null
        ? null
        : new AttemptClaim(rs.getString("claim_execution"), rs.getInt("claim_attempt"));
  }

  static Benchmark benchmark(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Benchmark(
        rs.getString("id"),
        rs.getString("name"),
        Jsonb.read(rs.getString("spec")),
        rs.getString("spec_hash"),
        rs.getString("baseline_loss"),
        BenchmarkStatus.fromSql(rs.getString("status")),
        Columns.instant(rs, "created_at"),
        Columns.instant(rs, "finished_at"));
  }

  static Dataset dataset(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Dataset(
        rs.getString("id"),
        rs.getString("kind"),
        rs.getString("path"),
        Jsonb.read(rs.getString("generator_params")),
        rs.getString("content_hash"),
        Jsonb.readSplitSizes(rs.getString("split_sizes")),
        rs.getString("primary_split"),
        Columns.instant(rs, "created_at"),
        Columns.instant(rs, "prepared_at"));
  }

  /**
   * The six recalls in columns {@code prefix + "i2t_r1"} … {@code prefix + "t2i_r10"}; null when the first is NULL
   * (an epoch that skipped validation).
   */
  static Recalls recalls(ResultSet rs, String prefix) throws SQLException {
    Double i2tR1 = Columns.nullableDouble(rs, prefix + "i2t_r1");
    return i2tR1 == null
        ? null
        : new Recalls(
            i2tR1,
            rs.getDouble(prefix + "i2t_r5"),
            rs.getDouble(prefix + "i2t_r10"),
            rs.getDouble(prefix + "t2i_r1"),
            rs.getDouble(prefix + "t2i_r5"),
            rs.getDouble(prefix + "t2i_r10"));
  }

  static EpochMetric epochMetric(ResultSet rs, StatementContext ctx) throws SQLException {
    return new EpochMetric(
        rs.getString("run_id"),
        rs.getInt("epoch"),
        rs.getDouble("train_loss"),
        recalls(rs, "val_"),
        rs.getDouble("lr"),
        rs.getDouble("seconds"),
        rs.getDouble("samples_per_s"),
        Columns.nullableDouble(rs, "grad_norm"));
  }

  static Result result(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Result(
        rs.getString("run_id"),
        rs.getString("split"),
        recalls(rs, ""),
        rs.getDouble("i2t_medr"),
        rs.getDouble("i2t_meanr"),
        rs.getDouble("t2i_medr"),
        rs.getDouble("t2i_meanr"));
  }

  static RunEvent runEvent(ResultSet rs, StatementContext ctx) throws SQLException {
    return new RunEvent(
        rs.getLong("id"),
        rs.getString("run_id"),
        Columns.instant(rs, "occurred_at"),
        RunEventKind.fromSql(rs.getString("kind")),
        Columns.nullableRunStatus(rs, "from_status"),
        Columns.nullableRunStatus(rs, "to_status"),
        rs.getString("worker"),
        Columns.nullableInt(rs, "attempt"),
        rs.getString("message"));
  }

  static TrainingAttempt trainingAttempt(ResultSet rs, StatementContext ctx) throws SQLException {
    return new TrainingAttempt(
        rs.getString("run_id"),
        rs.getString("benchmark_id"),
        attemptClaim(rs),
        rs.getString("worker"),
        rs.getString("device"),
        Columns.instant(rs, "started_at"),
        rs.getInt("epochs_trained"),
        rs.getDouble("training_seconds"),
        rs.getString("failure"));
  }

  /** A row of view {@code leaderboard}. */
  static LeaderboardRow leaderboardRow(ResultSet rs, StatementContext ctx) throws SQLException {
    return new LeaderboardRow(
        rs.getString("benchmark_id"),
        rs.getString("benchmark_name"),
        rs.getString("dataset_id"),
        rs.getString("model"),
        rs.getString("variant"),
        rs.getString("loss_name"),
        rs.getString("split"),
        rs.getBoolean("is_primary"),
        rs.getInt("seeds"),
        rs.getDouble("rsum_mean"),
        Columns.nullableDouble(rs, "rsum_std"),
        rs.getDouble("i2t_r1_mean"),
        Columns.nullableDouble(rs, "i2t_r1_std"),
        rs.getDouble("t2i_r1_mean"),
        Columns.nullableDouble(rs, "t2i_r1_std"),
        rs.getDouble("i2t_r5_mean"),
        rs.getDouble("i2t_r10_mean"),
        rs.getDouble("t2i_r5_mean"),
        rs.getDouble("t2i_r10_mean"),
        rs.getLong("best_seed"),
        rs.getDouble("best_rsum"),
        rs.getString("best_run_id"),
        rs.getInt("rank"));
  }

  /** A row of view {@code convergence}. */
  static ConvergenceRow convergenceRow(ResultSet rs, StatementContext ctx) throws SQLException {
    return new ConvergenceRow(
        rs.getString("benchmark_id"),
        rs.getString("dataset_id"),
        rs.getString("model"),
        rs.getString("variant"),
        rs.getString("loss_name"),
        rs.getInt("epoch"),
        rs.getInt("seeds"),
        rs.getInt("validated_seeds"),
        Columns.nullableDouble(rs, "val_rsum_mean"),
        Columns.nullableDouble(rs, "val_rsum_std"),
        Columns.nullableDouble(rs, "val_rsum_min"),
        Columns.nullableDouble(rs, "val_rsum_max"),
        rs.getDouble("train_loss_mean"));
  }

  /** A row of view {@code loss_delta}. */
  static LossDeltaRow lossDeltaRow(ResultSet rs, StatementContext ctx) throws SQLException {
    return new LossDeltaRow(
        rs.getString("benchmark_id"),
        rs.getString("dataset_id"),
        rs.getString("model"),
        rs.getString("split"),
        rs.getBoolean("is_primary"),
        rs.getString("variant"),
        rs.getString("loss_name"),
        rs.getInt("seeds"),
        rs.getDouble("rsum_mean"),
        rs.getString("baseline_variant"),
        Columns.nullableInt(rs, "baseline_seeds"),
        Columns.nullableDouble(rs, "baseline_rsum_mean"),
        Columns.nullableDouble(rs, "rsum_delta"));
  }

  /** A row of view {@code run_status}. */
  static RunStatusRow runStatusRow(ResultSet rs, StatementContext ctx) throws SQLException {
    return new RunStatusRow(
        rs.getString("benchmark_id"),
        rs.getString("benchmark_name"),
        RunStatus.fromSql(rs.getString("status")),
        rs.getInt("runs"),
        rs.getInt("attempts"),
        Columns.nullableDouble(rs, "mean_seconds"),
        Columns.nullableDouble(rs, "max_seconds"));
  }

  /** A row of view {@code variant_runs}. */
  static VariantRuns variantRuns(ResultSet rs, StatementContext ctx) throws SQLException {
    return new VariantRuns(
        rs.getString("benchmark_id"),
        rs.getString("dataset_id"),
        rs.getString("model"),
        rs.getString("variant"),
        rs.getString("loss_name"),
        rs.getInt("runs"),
        rs.getInt("seeds_succeeded"),
        rs.getInt("runs_stopped"),
        Columns.nullableInt(rs, "stopped_epoch"),
        Columns.nullableDouble(rs, "stopped_val_rsum_mean"),
        Columns.nullableDouble(rs, "stopped_val_rsum_std"),
        rs.getBoolean("stopped_by_halving"));
  }

  /** A row of view {@code benchmark_compute}. */
  static BenchmarkCompute benchmarkCompute(ResultSet rs, StatementContext ctx) throws SQLException {
    return new BenchmarkCompute(
        rs.getString("benchmark_id"),
        rs.getInt("runs"),
        rs.getInt("runs_from_before"),
        rs.getInt("runs_trained"),
        rs.getInt("attempts"),
        rs.getInt("run_epochs_trained"),
        rs.getDouble("training_seconds"),
        Columns.nullableInt(rs, "full_grid_run_epochs"));
  }

  /** A row of view {@code comparisons}. */
  static ComparisonRow comparisonRow(ResultSet rs, StatementContext ctx) throws SQLException {
    return new ComparisonRow(
        rs.getString("benchmark_id"),
        rs.getString("dataset_id"),
        rs.getString("model"),
        rs.getString("split"),
        rs.getBoolean("is_primary"),
        rs.getString("measure"),
        rs.getString("variant"),
        rs.getString("baseline"),
        Columns.nullableInt(rs, "rank"),
        rs.getString("measure_kind"),
        rs.getBoolean("higher_is_better"),
        rs.getInt("n"),
        Columns.nullableDouble(rs, "baseline_mean"),
        Columns.nullableDouble(rs, "variant_mean"),
        Columns.nullableDouble(rs, "mean_delta"),
        Columns.nullableDouble(rs, "ci_low"),
        Columns.nullableDouble(rs, "ci_high"),
        Columns.nullableDouble(rs, "p_a_greater"),
        Columns.nullableDouble(rs, "p_a_greater_low"),
        Columns.nullableDouble(rs, "p_a_greater_high"),
        Columns.nullableDouble(rs, "p"),
        Columns.nullableDouble(rs, "p_t"),
        Columns.nullableDouble(rs, "p_holm"),
        Columns.nullableDouble(rs, "p_equivalence"),
        Columns.nullableDouble(rs, "p_equivalence_holm"),
        Columns.nullableDouble(rs, "bound"),
        rs.getDouble("alpha"),
        rs.getString("outcome"),
        rs.getString("test"),
        rs.getObject("computed_at", OffsetDateTime.class));
  }

  /** A succeeded run's test figures on one split, as {@link ComparisonRepository#seedFigures} selects them. */
  static SeedFigures seedFigures(ResultSet rs, StatementContext ctx) throws SQLException {
    return new SeedFigures(rs.getString("dataset_id"), rs.getString("model"),
        rs.getString("split"), rs.getString("variant"), rs.getLong("seed"), rs.getDouble("rsum"),
        rs.getDouble("i2t_r1"), rs.getDouble("t2i_r1"));
  }
}
