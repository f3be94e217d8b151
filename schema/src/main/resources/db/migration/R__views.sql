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
-- A benchmark's runs are those benchmark_run links to it (V9): a run that succeeded in an earlier benchmark counts in
-- every later one that contains its cell (benchmark_run.from_before), so every view joins through the link.

-- dependants first: loss_delta reads leaderboard
DROP VIEW IF EXISTS variant_runs;
DROP VIEW IF EXISTS benchmark_compute;
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
-- Only succeeded runs count, so only variants with one are ranked: a variant an adaptive benchmark stopped by
-- successive halving (its runs stopped, V11) has no row here; variant_runs says where it was stopped.
CREATE VIEW leaderboard AS
SELECT l.benchmark_id,
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
       rank() OVER (PARTITION BY l.benchmark_id, r.dataset_id, r.model, res.split
                    ORDER BY avg(res.rsum) DESC)::integer      AS rank
FROM result res
JOIN run r       ON r.id = res.run_id
JOIN benchmark_run l ON l.run_id = r.id
JOIN benchmark b ON b.id = l.benchmark_id
JOIN dataset d   ON d.id = r.dataset_id
WHERE r.status = 'succeeded'
GROUP BY l.benchmark_id, b.name, r.dataset_id, d.primary_split, r.model, r.variant, r.loss_name, res.split;

-- Per benchmark x dataset x model x variant x epoch: validation rSum over the seeds, for the learning curves.
-- Runs that are running, succeeded or stopped count (live curves in Grafana; a run stopped by successive halving
-- has its curve up to its rung, the figures the rung was decided on); failed, diverged and cancelled runs do
-- not, so a NaN loss cannot turn a mean into NaN. validated_seeds counts the seeds validated at that epoch.
-- The epochs are read per run (LATERAL, through epoch_metric's primary key): a query for one benchmark finds its
-- runs by run's indexes and reads only their epochs. OFFSET 0 keeps the planner from flattening the subquery
-- into a join, which on a large store it answered with a scan of the whole epoch_metric table (V10).
CREATE VIEW convergence AS
SELECT l.benchmark_id,
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
FROM benchmark_run l
JOIN run r ON r.id = l.run_id
CROSS JOIN LATERAL (
    SELECT e.epoch, e.val_rsum, e.train_loss
    FROM epoch_metric e
    WHERE e.run_id = r.id
    OFFSET 0
) m
WHERE r.status IN ('running', 'succeeded', 'stopped')
GROUP BY l.benchmark_id, r.dataset_id, r.model, r.variant, r.loss_name, m.epoch;

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

-- Per benchmark and status (stopped included: runs successive halving stopped at a rung): how many runs, how many
-- attempts they took, and how long the latest attempt
-- ran (finished_at - started_at; a running run counts up to now; pending runs have no duration); the devices their
-- latest attempts trained on (distinct, comma-separated; NULL when none started) and the most device memory any of
-- them was seen using (NULL on the CPU).
CREATE VIEW run_status AS
SELECT l.benchmark_id,
       b.name                        AS benchmark_name,
       r.status,
       count(*)::integer             AS runs,
       sum(r.attempts)::integer      AS attempts,
       avg(d.seconds)                AS mean_seconds,
       max(d.seconds)                AS max_seconds,
       string_agg(DISTINCT r.device, ', ' ORDER BY r.device)  AS devices,
       max(r.peak_device_memory_bytes)                        AS max_peak_device_memory_bytes,
       count(*) FILTER (WHERE l.from_before)::integer         AS from_before
FROM run r
JOIN benchmark_run l ON l.run_id = r.id
JOIN benchmark b ON b.id = l.benchmark_id
CROSS JOIN LATERAL (
    SELECT extract(epoch FROM coalesce(r.finished_at, now()) - r.started_at)::double precision AS seconds
) d
GROUP BY l.benchmark_id, b.name, r.status;

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
       (SELECT count(*) FROM benchmark_run l WHERE l.benchmark_id = b.id)::integer AS runs
FROM benchmark b;

-- One row per run: where it stands. last_* are from the run's highest recorded epoch (NULL before the first);
-- planned_epochs is the training config's "epochs" when it names one. duration_seconds is the latest attempt's,
-- a running run counting up to now. error is the text the run failed (or diverged, or was cancelled) with.
-- device and peak_device_memory_bytes are the latest attempt's (V6; NULL before it started, the peak NULL on the CPU).
-- stopped_epoch is the rung a stopped run was stopped at (V11: the epochs it trained) and stopped_val_rsum its
-- validation rSum there (the figure the rung ranked), both NULL unless the run is stopped.
CREATE VIEW run_progress AS
SELECT r.id                                   AS run_id,
       l.benchmark_id,
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
       r.error,
       CASE WHEN r.status = 'stopped' THEN r.stopped_epoch END AS stopped_epoch,
       CASE WHEN r.status = 'stopped'
            THEN (SELECT s.val_rsum FROM epoch_metric s WHERE s.run_id = r.id AND s.epoch = r.stopped_epoch - 1)
       END                                    AS stopped_val_rsum,
       r.cell_id,
       l.from_before,
       coalesce(t.epochs_trained, 0)          AS epochs_trained,
       coalesce(t.training_seconds, 0)        AS training_seconds
FROM run r
JOIN benchmark_run l ON l.run_id = r.id
JOIN benchmark b ON b.id = l.benchmark_id
LEFT JOIN LATERAL (
    SELECT sum(a.epochs_trained)::integer AS epochs_trained, sum(a.training_seconds) AS training_seconds
    FROM training_attempt a
    WHERE a.run_id = r.id
) t ON true
LEFT JOIN LATERAL (
    SELECT m.epoch, m.train_loss, m.val_rsum, m.recorded_at
    FROM epoch_metric m
    WHERE m.run_id = r.id
    ORDER BY m.epoch DESC
    LIMIT 1
) last ON true;

-- Per benchmark: what its training cost. run_epochs_trained and training_seconds sum the attempts this benchmark's
-- submissions ran (epochs_trained and the training loop's own seconds — device seconds on a GPU — of each
-- training_attempt, whatever the run's status: the epochs of runs stopped by successive halving count); runs_from_before
-- are the runs it linked that had succeeded in an earlier benchmark (compute not spent again). full_grid_run_epochs is
-- what the whole grid costs, cells x planned epochs, every cell of the matrix whether or not it was started: the
-- cells the stored spec lists (spec.cells), or with sequential seeds (spec.adaptive.seeds, or spec.seeds, an object
-- {min, max, step} of seed counts) every dataset x model x variant of them at max seeds, times the spec's training
-- epochs. A spec that lists
-- no cells (older or hand-written ones) gives the planned epochs of the runs linked to the benchmark. An adaptive
-- benchmark trains less than its full grid, a full one exactly that.
CREATE VIEW benchmark_compute AS
SELECT b.id                                                        AS benchmark_id,
       b.name                                                      AS benchmark_name,
       coalesce(g.runs, 0)::integer                                AS runs,
       coalesce(g.runs_from_before, 0)::integer                    AS runs_from_before,
       coalesce(a.runs_trained, 0)::integer                        AS runs_trained,
       coalesce(a.attempts, 0)::integer                            AS attempts,
       coalesce(a.run_epochs_trained, 0)::integer                  AS run_epochs_trained,
       coalesce(a.training_seconds, 0)::double precision           AS training_seconds,
       coalesce(a.training_seconds, 0)::double precision / 3600    AS training_hours,
       coalesce(s.cells * s.epochs, g.full_grid_run_epochs)::integer AS full_grid_run_epochs
FROM benchmark b
LEFT JOIN LATERAL (
    SELECT count(*) AS runs,
           count(*) FILTER (WHERE l.from_before) AS runs_from_before,
           sum(CASE WHEN jsonb_typeof(r.training_config -> 'epochs') = 'number'
                    THEN (r.training_config ->> 'epochs')::numeric::integer END) AS full_grid_run_epochs
    FROM benchmark_run l
    JOIN run r ON r.id = l.run_id
    WHERE l.benchmark_id = b.id
) g ON true
LEFT JOIN LATERAL (
    SELECT CASE WHEN jsonb_typeof(m.max_seeds) = 'number'
                THEN (SELECT count(DISTINCT array[c ->> 'dataset', c ->> 'model', c ->> 'loss'])
                      FROM jsonb_array_elements(b.spec -> 'cells') c) * (m.max_seeds #>> '{}')::numeric::integer
                ELSE jsonb_array_length(b.spec -> 'cells') END AS cells,
           CASE WHEN jsonb_typeof(b.spec #> '{training,params,epochs}') = 'number'
                THEN (b.spec #>> '{training,params,epochs}')::numeric::integer END AS epochs
    FROM (SELECT coalesce(b.spec #> '{adaptive,seeds,max}', b.spec #> '{seeds,max}') AS max_seeds) m
    WHERE jsonb_typeof(b.spec -> 'cells') = 'array' AND jsonb_array_length(b.spec -> 'cells') > 0
) s ON true
LEFT JOIN LATERAL (
    SELECT count(DISTINCT t.run_id) AS runs_trained,
           count(*) AS attempts,
           sum(t.epochs_trained) AS run_epochs_trained,
           sum(t.training_seconds) AS training_seconds
    FROM training_attempt t
    WHERE t.benchmark_id = b.id
) a ON true;

-- Per benchmark x dataset x model x variant: the seeds it used and how its runs ended, what an adaptive benchmark
-- decided for it. seeds_succeeded are the seeds the leaderboard ranks it by (sequential seeds give variants different
-- counts); runs_stopped the runs successive halving stopped (status stopped, V11), stopped_epoch the rung they were
-- stopped at (epochs trained; the highest when they differ) and stopped_val_rsum_mean / _std the validation rSum at
-- it over those runs (the figure the rung ranked; std NULL with one run). stopped_by_halving: it has stopped runs and
-- no succeeded one, so the leaderboard has no row for it — the CLI, the report and Grafana list it below the ranked
-- variants, with no rank and no comparison.
CREATE VIEW variant_runs AS
SELECT l.benchmark_id,
       b.name                                                                       AS benchmark_name,
       r.dataset_id,
       r.model,
       r.variant,
       r.loss_name,
       count(*)::integer                                                            AS runs,
       count(*) FILTER (WHERE r.status = 'succeeded')::integer                      AS seeds_succeeded,
       count(*) FILTER (WHERE r.status = 'stopped')::integer                        AS runs_stopped,
       max(r.stopped_epoch) FILTER (WHERE r.status = 'stopped')                     AS stopped_epoch,
       avg(v.val_rsum)                                                              AS stopped_val_rsum_mean,
       stddev_samp(v.val_rsum)                                                      AS stopped_val_rsum_std,
       (count(*) FILTER (WHERE r.status = 'stopped') > 0
        AND count(*) FILTER (WHERE r.status = 'succeeded') = 0)                     AS stopped_by_halving
FROM benchmark_run l
JOIN run r ON r.id = l.run_id
JOIN benchmark b ON b.id = l.benchmark_id
-- the rung's figure: the stopped run's epoch_metric row of its last trained epoch (epochs count from 0 there)
LEFT JOIN epoch_metric v ON r.status = 'stopped' AND v.run_id = r.id AND v.epoch = r.stopped_epoch - 1
GROUP BY l.benchmark_id, b.name, r.dataset_id, r.model, r.variant, r.loss_name;

-- The reader sees the views only. Views run with their owner's rights, so SELECT on a view is enough to
-- read it; the tables stay closed to the reader. Skipped (with a notice) where the role could not be made.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'lossbench_reader') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO lossbench_reader', current_schema());
        REVOKE ALL ON benchmark, dataset, run, epoch_metric, result, run_event, benchmark_run, training_attempt,
            comparison FROM lossbench_reader;
        GRANT SELECT ON leaderboard, convergence, loss_delta, comparisons, run_status, run_progress, benchmark_list,
            benchmark_compute, variant_runs TO lossbench_reader;
    ELSE
        RAISE NOTICE 'lossbench: role lossbench_reader does not exist; views not granted';
    END IF;
END
$$;
