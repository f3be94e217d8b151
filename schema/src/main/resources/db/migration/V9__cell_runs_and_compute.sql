-- A finished cell is never trained twice, and what training cost.
--
-- 1. A run is a cell's content (dataset identity, model — a TorchScript module by its file's SHA-256 —, loss
--    variant, training settings, seed, parent stage), no longer a cell of one benchmark: run.cell_id is that content
--    identity, and benchmark_run links a run to every benchmark that contains its cell. A matrix with one more
--    seed or variant links the runs that already succeeded ("from before") and trains only the new ones.
--    run.benchmark_id stays: the benchmark that registered the run first. Every view reads a benchmark's runs
--    through benchmark_run (R__views.sql, re-applied after this migration).
-- 2. training_attempt: one row per training attempt, with the epochs it trained and the training loop's own
--    seconds for them (device seconds on a GPU), and the benchmark whose submission ran it; the view
--    benchmark_compute sums them per benchmark.

ALTER TABLE run ADD COLUMN cell_id text;
CREATE INDEX run_cell ON run (cell_id) WHERE cell_id IS NOT NULL;

-- dataset_id, model, variant and seed are the run's, copied so that a seed counts once per variant in each
-- benchmark (the leaderboard's seed counts and means rely on it): that rule moves from run (run_cell_unique, per
-- owning benchmark) to the link, since a run now belongs to several benchmarks and one benchmark's cell may change
-- run (a TorchScript module replaced under the same path is a new run of the same benchmark).
CREATE TABLE benchmark_run (
    benchmark_id text NOT NULL CONSTRAINT benchmark_run_benchmark_fk REFERENCES benchmark (id),
    run_id       text NOT NULL CONSTRAINT benchmark_run_run_fk REFERENCES run (id),
    dataset_id   text NOT NULL,
    model        text NOT NULL,
    variant      text NOT NULL,
    seed         bigint NOT NULL,
    -- the run had already succeeded when this benchmark first linked it: its compute was spent before
    from_before  boolean NOT NULL DEFAULT false,
    linked_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (benchmark_id, run_id),
    CONSTRAINT benchmark_run_cell_unique UNIQUE (benchmark_id, dataset_id, model, variant, seed)
);
CREATE INDEX benchmark_run_run ON benchmark_run (run_id);

-- Runs of earlier releases belong to the benchmark that made them.
INSERT INTO benchmark_run (benchmark_id, run_id, dataset_id, model, variant, seed, from_before, linked_at)
SELECT benchmark_id, id, dataset_id, model, variant, seed, false, created_at FROM run;
ALTER TABLE run DROP CONSTRAINT run_cell_unique;

-- Their content identity, where the benchmark's stored spec lists its cells: an earlier release's run id was
-- 'run-' + the first 20 hex digits of SHA-256(benchmark id + '/' + cell id). Cells of TorchScript models are left
-- without one (their old identity was the module's path, not its bytes): they are never reused.
UPDATE run r
   SET cell_id = c.cell_id
  FROM (SELECT b.id AS benchmark_id, cell ->> 'id' AS cell_id
          FROM benchmark b,
               jsonb_array_elements(CASE WHEN jsonb_typeof(b.spec -> 'cells') = 'array' THEN b.spec -> 'cells'
                                         ELSE '[]'::jsonb END) AS cell
         WHERE NOT EXISTS (SELECT FROM jsonb_array_elements(CASE WHEN jsonb_typeof(b.spec -> 'models') = 'array'
                                                                 THEN b.spec -> 'models' ELSE '[]'::jsonb END) m
                           WHERE m ->> 'name' = 'torchscript')) c
 WHERE r.benchmark_id = c.benchmark_id
   AND r.id = 'run-' || left(encode(sha256(convert_to(c.benchmark_id || '/' || c.cell_id, 'UTF8')), 'hex'), 20);

CREATE TABLE training_attempt (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id           text NOT NULL CONSTRAINT training_attempt_run_fk REFERENCES run (id),
    -- the benchmark whose submission ran the attempt (a run linked to several is trained by one of them)
    benchmark_id     text NOT NULL CONSTRAINT training_attempt_benchmark_fk REFERENCES benchmark (id),
    claim_execution  text NOT NULL,
    claim_attempt    integer NOT NULL CONSTRAINT training_attempt_claim_positive CHECK (claim_attempt >= 1),
    worker           text NOT NULL,
    device           text,
    started_at       timestamptz NOT NULL DEFAULT now(),
    last_epoch_at    timestamptz,
    epochs_trained   integer NOT NULL DEFAULT 0 CONSTRAINT training_attempt_epochs_non_negative CHECK (epochs_trained >= 0),
    training_seconds double precision NOT NULL DEFAULT 0
                     CONSTRAINT training_attempt_seconds_non_negative CHECK (training_seconds >= 0),
    CONSTRAINT training_attempt_claim_unique UNIQUE (run_id, claim_execution, claim_attempt)
);
CREATE INDEX training_attempt_benchmark ON training_attempt (benchmark_id);
