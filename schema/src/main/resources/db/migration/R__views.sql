-- Every view of the lossbench schema: the leaderboard questions, answered in SQL so that Grafana, the CLI and the
-- HTML report agree, and the run-level views the Grafana dashboards read.
-- Repeatable: Flyway re-runs this file whenever it changes (after the versioned migrations). All views are dropped,
-- dependants first, and created again in dependency order (CREATE OR REPLACE cannot rename, retype or drop
-- columns); the grants to lossbench_reader are re-applied at the end. Views are defined here and nowhere else.
-- Policy: a change to this file ships with a new versioned migration (an empty V<n>__views_<what>.sql is enough),
-- so that an older lossbench sees a newer schema version and refuses to start instead of re-creating old views.
-- A view that is dropped for good: remove it here and DROP it in that versioned migration.
--
-- Conventions: a "variant" is a loss with its parameters (run.variant, e.g. unified:gamma=50,margin=0.2).
-- Standard deviations are sample standard deviations (stddev_samp, n - 1): NULL when there is one seed.

-- dependants first: loss_delta reads leaderboard
DROP VIEW IF EXISTS comparisons;
DROP VIEW IF EXISTS loss_delta;
DROP VIEW IF EXISTS leaderboard;
DROP VIEW IF EXISTS convergence;
DROP VIEW IF EXISTS run_status;
DROP VIEW IF EXISTS run_progress;
DROP VIEW IF EXISTS benchmark_list;

-- Per benchmark x dataset x model x variant x split: the test figures of the runs that succeeded.
-- Every split a result was recorded for appears; is_primary marks the dataset's primary_split, the one a
-- leaderboard ranks by. Callers filter: WHERE is_primary (the headline table) or WHERE split = 'coco1k'.
-- The best seed is the one with the highest rSum (ties: the lowest seed).
-- rank is THE rank, decided here once for the CLI, the report and Grafana: competition rank by mean rSum within the
-- benchmark x dataset x model x split (equal means share a rank, the next rank skips: 1, 1, 3).
CREATE VIEW leaderboard AS
SELECT r.benchmark_id,
       b.name                                                 AS benchmark_name,
       r.dataset_id,
       r.model,
       r.variant,
       r.loss_name,
       res.split,
       res.split = d.primary_split                            AS is_primary,
       count(*)::integer                                      AS seeds,
       avg(res.rsum)                                          AS rsum_mean,
       stddev_samp(res.rsum)                                  AS rsum_std,
       avg(res.i2t_r1)                                        AS i2t_r1_mean,
       stddev_samp(res.i2t_r1)                                AS i2t_r1_std,
       avg(res.t2i_r1)                                        AS t2i_r1_mean,
       stddev_samp(res.t2i_r1)                                AS t2i_r1_std,
       avg(res.i2t_r5)                                        AS i2t_r5_mean,
       avg(res.i2t_r10)                                       AS i2t_r10_mean,
       avg(res.t2i_r5)                                        AS t2i_r5_mean,
       avg(res.t2i_r10)                                       AS t2i_r10_mean,
       (array_agg(r.seed ORDER BY res.rsum DESC, r.seed))[1]  AS best_seed,
       max(res.rsum)                                          AS best_rsum,
       (array_agg(r.id ORDER BY res.rsum DESC, r.seed))[1]    AS best_run_id,
       rank() OVER (PARTITION BY r.benchmark_id, r.dataset_id, r.model, res.split
                    ORDER BY avg(res.rsum) DESC)::integer      AS rank
FROM result res
JOIN run r       ON r.id = res.run_id
JOIN benchmark b ON b.id = r.benchmark_id
JOIN dataset d   ON d.id = r.dataset_id
WHERE r.status = 'succeeded'
GROUP BY r.benchmark_id, b.name, r.dataset_id, d.primary_split, r.model, r.variant, r.loss_name, res.split;

-- Per benchmark x dataset x model x variant x epoch: validation rSum over the seeds, for the learning curves.
-- Runs that are running or succeeded count (live curves in Grafana); failed, diverged and cancelled runs do
-- not, so a NaN loss cannot turn a mean into NaN. validated_seeds counts the seeds validated at that epoch.
CREATE VIEW convergence AS
SELECT r.benchmark_id,
       r.dataset_id,
       r.model,
       r.variant,
       r.loss_name,
       m.epoch,
       count(*)::integer          AS seeds,
       count(m.val_rsum)::integer AS validated_seeds,
       avg(m.val_rsum)            AS val_rsum_mean,
       stddev_samp(m.val_rsum)    AS val_rsum_std,
       min(m.val_rsum)            AS val_rsum_min,
       max(m.val_rsum)            AS val_rsum_max,
       avg(m.train_loss)          AS train_loss_mean
FROM epoch_metric m
JOIN run r ON r.id = m.run_id
WHERE r.status IN ('running', 'succeeded')
GROUP BY r.benchmark_id, r.dataset_id, r.model, r.variant, r.loss_name, m.epoch;

-- Each leaderboard row's mean rSum minus the baseline's, in the same benchmark x dataset x model x split.
-- The baseline is benchmark.baseline_loss ('triplet-hn' unless the matrix names another): the variant with
-- exactly that label, or else the one variant whose loss is named so. When neither identifies exactly one
-- variant, the baseline columns and rsum_delta are NULL. The baseline's own row has rsum_delta 0.
CREATE VIEW loss_delta AS
WITH candidate AS (
    SELECT l.benchmark_id, l.dataset_id, l.model, l.split, l.variant, l.loss_name, l.seeds, l.rsum_mean,
           b.baseline_loss,
           bool_or(l.variant = b.baseline_loss)
               OVER (PARTITION BY l.benchmark_id, l.dataset_id, l.model, l.split) AS label_matches,
           count(*) FILTER (WHERE l.loss_name = b.baseline_loss)
               OVER (PARTITION BY l.benchmark_id, l.dataset_id, l.model, l.split) AS loss_matches
    FROM leaderboard l
    JOIN benchmark b ON b.id = l.benchmark_id
),
baseline AS (
    SELECT benchmark_id, dataset_id, model, split, variant, seeds, rsum_mean
    FROM candidate
    WHERE variant = baseline_loss
       OR (NOT label_matches AND loss_matches = 1 AND loss_name = baseline_loss)
)
SELECT l.benchmark_id,
       l.dataset_id,
       l.model,
       l.split,
       l.is_primary,
       l.variant,
       l.loss_name,
       l.seeds,
       l.rsum_mean,
       bl.variant                 AS baseline_variant,
       bl.seeds                   AS baseline_seeds,
       bl.rsum_mean               AS baseline_rsum_mean,
       l.rsum_mean - bl.rsum_mean AS rsum_delta
FROM leaderboard l
LEFT JOIN baseline bl
       ON bl.benchmark_id = l.benchmark_id AND bl.dataset_id = l.dataset_id
      AND bl.model = l.model AND bl.split = l.split;

-- The comparison engine's verdicts (table comparison, V8), with what a reader needs beside them: the benchmark's
-- name, whether the split is the dataset's primary one, and the variant's leaderboard rank (NULL when it has no
-- succeeded run on the split). One row per benchmark x dataset x model x split x measure x variant (not the baseline).
CREATE VIEW comparisons AS
SELECT c.benchmark_id,
       b.name                      AS benchmark_name,
       c.dataset_id,
       c.model,
       c.split,
       c.split = d.primary_split   AS is_primary,
       c.measure,
       c.variant,
       c.baseline,
       l.rank,
       c.measure_kind,
       c.higher_is_better,
       c.n,
       c.baseline_mean,
       c.variant_mean,
       c.mean_delta,
       c.ci_low,
       c.ci_high,
       c.p_a_greater,
       c.p_a_greater_low,
       c.p_a_greater_high,
       c.p,
       c.p_t,
       c.p_holm,
       c.p_equivalence,
       c.p_equivalence_holm,
       c.bound,
       c.alpha,
       c.outcome,
       c.test,
       c.computed_at
FROM comparison c
JOIN benchmark b ON b.id = c.benchmark_id
JOIN dataset d   ON d.id = c.dataset_id
LEFT JOIN leaderboard l
       ON l.benchmark_id = c.benchmark_id AND l.dataset_id = c.dataset_id AND l.model = c.model
      AND l.split = c.split AND l.variant = c.variant;

-- Per benchmark and status: how many runs, how many attempts they took, and how long the latest attempt
-- ran (finished_at - started_at; a running run counts up to now; pending runs have no duration); the devices their
-- latest attempts trained on (distinct, comma-separated; NULL when none started) and the most device memory any of
-- them was seen using (NULL on the CPU).
CREATE VIEW run_status AS
SELECT r.benchmark_id,
       b.name                        AS benchmark_name,
       r.status,
       count(*)::integer             AS runs,
       sum(r.attempts)::integer      AS attempts,
       avg(d.seconds)                AS mean_seconds,
       max(d.seconds)                AS max_seconds,
       string_agg(DISTINCT r.device, ', ' ORDER BY r.device)  AS devices,
       max(r.peak_device_memory_bytes)                        AS max_peak_device_memory_bytes
FROM run r
JOIN benchmark b ON b.id = r.benchmark_id
CROSS JOIN LATERAL (
    SELECT extract(epoch FROM coalesce(r.finished_at, now()) - r.started_at)::double precision AS seconds
) d
GROUP BY r.benchmark_id, b.name, r.status;

-- The dashboards' views (dashboards/): the run-level questions the report views above do not answer — which runs
-- are running and at which epoch, which failed and why, how long each took — and the list of benchmarks for the
-- dashboards' selector, newest first. (Created by V3 until V4 moved them here.)

-- One row per benchmark: what the dashboards' benchmark selector lists, newest first.
CREATE VIEW benchmark_list AS
SELECT b.id            AS benchmark_id,
       b.name          AS benchmark_name,
       b.status,
       b.baseline_loss,
       b.created_at,
       b.finished_at,
       (SELECT count(*) FROM run r WHERE r.benchmark_id = b.id)::integer AS runs
FROM benchmark b;

-- One row per run: where it stands. last_* are from the run's highest recorded epoch (NULL before the first);
-- planned_epochs is the training config's "epochs" when it names one. duration_seconds is the latest attempt's,
-- a running run counting up to now. error is the text the run failed (or diverged, or was cancelled) with.
-- device and peak_device_memory_bytes are the latest attempt's (V6; NULL before it started, the peak NULL on the CPU).
CREATE VIEW run_progress AS
SELECT r.id                                   AS run_id,
       r.benchmark_id,
       b.name                                 AS benchmark_name,
       r.dataset_id,
       r.model,
       r.variant,
       r.loss_name,
       r.seed,
       r.status,
       r.attempts,
       r.worker,
       r.device,
       r.peak_device_memory_bytes,
       r.started_at,
       r.finished_at,
       extract(epoch FROM coalesce(r.finished_at, now()) - r.started_at)::double precision AS duration_seconds,
       CASE WHEN jsonb_typeof(r.training_config -> 'epochs') = 'number'
            THEN (r.training_config ->> 'epochs')::numeric::integer END                     AS planned_epochs,
       last.epoch                             AS last_epoch,
       last.train_loss                        AS last_train_loss,
       last.val_rsum                          AS last_val_rsum,
       last.recorded_at                       AS last_recorded_at,
       r.best_epoch,
       r.error
FROM run r
JOIN benchmark b ON b.id = r.benchmark_id
LEFT JOIN LATERAL (
    SELECT m.epoch, m.train_loss, m.val_rsum, m.recorded_at
    FROM epoch_metric m
    WHERE m.run_id = r.id
    ORDER BY m.epoch DESC
    LIMIT 1
) last ON true;

-- The reader sees the views only. Views run with their owner's rights, so SELECT on a view is enough to
-- read it; the tables stay closed to the reader. Skipped (with a notice) where the role could not be made.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'lossbench_reader') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO lossbench_reader', current_schema());
        REVOKE ALL ON benchmark, dataset, run, epoch_metric, result, run_event, comparison FROM lossbench_reader;
        GRANT SELECT ON leaderboard, convergence, loss_delta, comparisons, run_status, run_progress, benchmark_list
            TO lossbench_reader;
    ELSE
        RAISE NOTICE 'lossbench: role lossbench_reader does not exist; views not granted';
    END IF;
END
$$;
