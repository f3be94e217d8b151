-- The comparison engine's verdicts (issue #21), stored once and read by the leaderboard, the report, Grafana and the
-- study: per benchmark x dataset x model x split x measure, every variant against the matrix's baseline, paired by
-- seed. Written by workers/compare when a benchmark finishes (and on demand for older benchmarks); a re-computation
-- replaces the benchmark's rows (upsert on the key, then the rows it did not write are deleted), never duplicates.
-- Undefined figures are NULL: ci_low/ci_high NULL means unbounded (the sign-flip test cannot reject any value with
-- so few seeds, e.g. every n <= 5 at alpha 0.05); p_t NULL when the t-test has no statistic.
-- The view over it (comparisons) is in R__views.sql; this file also ships that file's new views (policy there).
CREATE TABLE comparison (
    benchmark_id       text NOT NULL CONSTRAINT comparison_benchmark_fk REFERENCES benchmark (id),
    dataset_id         text NOT NULL,
    model              text NOT NULL,
    split              text NOT NULL,
    measure            text NOT NULL,                 -- rsum, r1_i2t, r1_t2i (the matrix's study: names)
    variant            text NOT NULL,                 -- A: the loss variant compared
    baseline           text NOT NULL,                 -- B: the matrix's baseline variant
    measure_kind       text NOT NULL CONSTRAINT comparison_kind_known CHECK (measure_kind IN ('continuous', 'discrete')),
    higher_is_better   boolean NOT NULL,
    n                  integer NOT NULL CONSTRAINT comparison_n_non_negative CHECK (n >= 0),  -- paired seeds
    baseline_mean      double precision,              -- over all the baseline's seeds (relative bounds use it)
    variant_mean       double precision,
    mean_delta         double precision,              -- mean of variant - baseline over the paired seeds
    ci_low             double precision,              -- (1 - alpha) interval of mean_delta, inverted sign-flip test
    ci_high            double precision,
    p_a_greater        double precision,              -- share of paired seeds with delta > 0, ties 1/2
    p_a_greater_low    double precision,              -- its 95 % Wilson interval
    p_a_greater_high   double precision,
    p                  double precision,              -- two-sided sign-flip p (the deciding one)
    p_t                double precision,              -- paired t-test p, for reference only
    p_holm             double precision,              -- p, Holm over the variants of the group and measure
    p_equivalence      double precision,              -- TOST p within +-bound (same test)
    p_equivalence_holm double precision,
    bound              double precision,              -- absolute equivalence bound used
    alpha              double precision NOT NULL,
    outcome            text NOT NULL
                       CONSTRAINT comparison_outcome_known CHECK (outcome IN ('better', 'worse', 'equivalent', 'undecided')),
    test               text,                          -- 'sign-flip exact' or 'sign-flip monte-carlo'
    computed_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT comparison_key PRIMARY KEY (benchmark_id, dataset_id, model, split, measure, variant)
);
