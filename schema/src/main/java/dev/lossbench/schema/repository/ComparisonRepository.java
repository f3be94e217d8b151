package dev.lossbench.schema.repository;

import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.ComparisonRow;
import dev.lossbench.schema.record.SeedFigures;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The comparison engine's rows: written once per benchmark (table {@code comparison}), read through the
 * {@code comparisons} view by the leaderboard, the report and Grafana; and the per-seed figures the engine reads.
 */
public final class ComparisonRepository {
  private final Jdbi jdbi;

  public ComparisonRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Every succeeded run's test figures of the benchmark (its runs through benchmark_run), per split: the engine's input. */
  public List<SeedFigures> seedFigures(String benchmarkId) {
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT r.dataset_id, r.model, res.split, r.variant, r.seed, res.rsum, res.i2t_r1, res.t2i_r1
          FROM result res
          JOIN run r ON r.id = res.run_id
          JOIN benchmark_run l ON l.run_id = r.id
         WHERE l.benchmark_id = :benchmarkId AND r.status = 'succeeded'
         ORDER BY r.dataset_id, r.model, res.split, r.variant, r.seed""")
        .bind("benchmarkId", benchmarkId)
        .map(Rows::seedFigures)
        .list());
  }

  /**
   * Replaces the benchmark's comparisons with {@code rows}, in one transaction: each row is upserted on its key
   * (benchmark × dataset × model × split × measure × variant) and the benchmark's rows not written now are
   * deleted, so a re-computation never duplicates and never leaves a stale verdict behind.
   *
   * @throws NotFoundException when the benchmark is not registered
   */
  public void replace(String benchmarkId, List<ComparisonRow> rows) {
    try {
      jdbi.useTransaction(h -> {
        if (!rows.isEmpty()) {
          PreparedBatch batch = h.prepareBatch("""
              INSERT INTO comparison (benchmark_id, dataset_id, model, split, measure, variant, baseline,
                  measure_kind, higher_is_better, n, baseline_mean, variant_mean, mean_delta, ci_low,
                  ci_high, p_a_greater, p_a_greater_low, p_a_greater_high, p, p_t, p_holm, p_equivalence,
                  p_equivalence_holm, bound, alpha, outcome, test, computed_at)
              VALUES (:benchmarkId, :datasetId, :model, :split, :measure, :variant, :baseline,
                  :measureKind, :higherIsBetter, :n, :baselineMean, :variantMean, :meanDelta, :ciLow,
                  :ciHigh, :pAGreater, :pAGreaterLow, :pAGreaterHigh, :p, :pT, :pHolm, :pEquivalence,
                  :pEquivalenceHolm, :bound, :alpha, :outcome, :test, now())
              ON CONFLICT ON CONSTRAINT comparison_key DO UPDATE
                 SET baseline = excluded.baseline, measure_kind = excluded.measure_kind,
                     higher_is_better = excluded.higher_is_better, n = excluded.n,
                     baseline_mean = excluded.baseline_mean, variant_mean = excluded.variant_mean,
                     mean_delta = excluded.mean_delta, ci_low = excluded.ci_low,
                     ci_high = excluded.ci_high, p_a_greater = excluded.p_a_greater,
                     p_a_greater_low = excluded.p_a_greater_low,
                     p_a_greater_high = excluded.p_a_greater_high, p = excluded.p, p_t = excluded.p_t,
                     p_holm = excluded.p_holm, p_equivalence = excluded.p_equivalence,
                     p_equivalence_holm = excluded.p_equivalence_holm, bound = excluded.bound,
                     alpha = excluded.alpha, outcome = excluded.outcome, test = excluded.test,
                     computed_at = now()""");
          for (ComparisonRow r : rows) {
            if (!r.benchmarkId().equals(benchmarkId)) {
              throw new IllegalArgumentException("a row of " + r.benchmarkId() + " among " + benchmarkId + "'s");
            }
            batch.bindMethods(r).add();
          }
          batch.execute();
        }
        // now() is the transaction's start: every row written above has it, older ones are stale
        h.createUpdate("DELETE FROM comparison WHERE benchmark_id = :benchmarkId AND computed_at < now()")
            .bind("benchmarkId", benchmarkId)
            .execute();
      });
    } catch (RuntimeException e) {
      if (SqlFailure.of(e).filter(f -> f.is(SqlFailure.FOREIGN_KEY_VIOLATION, "comparison_benchmark_fk")).isPresent()) {
        throw new NotFoundException("benchmark", benchmarkId);
      }
      throw e;
    }
  }

  /** Whether the benchmark has stored comparisons (none: never computed, e.g. finished by an older release). */
  public boolean exists(String benchmarkId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM comparison WHERE benchmark_id = :id)")
        .bind("id", benchmarkId)
        .mapTo(Boolean.class)
        .one());
  }

  /** The benchmark's comparisons on each dataset's primary split, by dataset, model, measure, then rank. */
  public List<ComparisonRow> primary(String benchmarkId) {
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT * FROM comparisons
         WHERE benchmark_id = :benchmarkId AND is_primary
         ORDER BY dataset_id, model, split, measure, rank NULLS LAST, variant""")
        .bind("benchmarkId", benchmarkId)
        .map(Rows::comparisonRow)
        .list());
  }
}
