/**
 * The comparison engine (issue #21): one place that decides whether a loss variant is better than, worse than,
 * equivalent to, or undecided against the matrix's baseline — read by the leaderboard, the report, Grafana and the
 * study. Pure Java over Apache Commons Math; no DJL, no SQL (the store's rows are written by
 * {@code schema/repository/ComparisonRepository}).
 *
 * <h2>API</h2>
 * <ul>
 *   <li>{@link dev.lossbench.workers.compare.PairedComparison#compare(double[], double[], MeasureKind, double, double)}
 *       — a and b paired by index (same seed), Δ = a − b → {@link dev.lossbench.workers.compare.PairedResult}:
 *       n, mean Δ with its (1 − α) interval (inverted sign-flip test; null ends = unbounded, every n ≤ 5 at
 *       α = 0.05), P(A &gt; B) with its 95 % Wilson interval, {@code p} (deciding: sign-flip, exact to n = 20, Monte
 *       Carlo with a fixed seed beyond; two-sided = 2 × the smaller one-sided p), {@code pT} (paired t, reference
 *       only), {@code pEquivalence} (TOST with the same test), the bound.</li>
 *   <li>{@link dev.lossbench.workers.compare.Holm#adjust(double[])} — Holm step-down (NaN = no test).</li>
 *   <li>{@link dev.lossbench.workers.compare.Outcome#decide} — BETTER / WORSE (adjusted p ≤ α, direction by the
 *       sign of Δ and the measure's good direction: each direction's false-positive rate ≤ α / 2), EQUIVALENT
 *       (adjusted TOST p ≤ α; wins over a significant difference inside the bound), else UNDECIDED.</li>
 *   <li>{@link dev.lossbench.workers.compare.ComparisonEngine#compare} — observations (one per run: dataset,
 *       model, split, variant, seed, measure → value) → one {@link dev.lossbench.workers.compare.Comparison}
 *       per group × measure × variant, Holm over the variants of the group.</li>
 *   <li>{@link dev.lossbench.workers.compare.Measure} — name, {@link dev.lossbench.workers.compare.MeasureKind}
 *       (CONTINUOUS / DISCRETE), and whether higher is better. Bounds and α come from the matrix's
 *       {@code study:} block ({@link dev.lossbench.workflows.matrix.AnalysisPlan}).</li>
 * </ul>
 *
 * <p>With n paired seeds the smallest attainable p is 2 / 2ⁿ ({@link dev.lossbench.workers.compare.PairedResult#minimumP}):
 * deciding at α = 0.05 needs at least 6 seeds for one variant, and 2 / 2ⁿ ≤ α / m for the first of m variants under
 * Holm (m = 4: 8 seeds).
 */
package dev.lossbench.workers.compare;
