-- Views for the Grafana dashboards (dashboards/): the run-level questions the four report views do not answer —
-- which runs are running and at which epoch, which failed and why, how long each took — and the list of
-- benchmarks for the dashboards' selector, newest first.
-- Versioned, not in R__views.sql: these views read only tables, so R__views.sql can drop and re-create its own
-- views freely. A change to one of these views is a new V<n> migration (CREATE OR REPLACE VIEW, or DROP + CREATE
-- when a column changes), which also moves the schema version as the R__views.sql policy asks.

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

-- The reader sees these views too (and still no table). Skipped, as in R__views.sql, where the role is missing.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'lossbench_reader') THEN
        GRANT SELECT ON benchmark_list, run_progress TO lossbench_reader;
    ELSE
        RAISE NOTICE 'lossbench: role lossbench_reader does not exist; dashboard views not granted';
    END IF;
END
$$;
