-- The lossbench metrics store: tables, the run status graph and the append-only event log.
-- Views are in R__views.sql; the reader role in V2__reader_role.sql.
-- Recall figures are percentages (0..100), as the field reports them; an rSum is the sum of the six (0..600).

-- One matrix submission. The id is chosen by the caller (stable for the same matrix, e.g. name + spec hash)
-- so that registering the same matrix twice is idempotent.
CREATE TABLE benchmark (
    id            text PRIMARY KEY,
    name          text NOT NULL,
    spec          jsonb NOT NULL,
    spec_hash     text NOT NULL,
    -- loss_delta compares every variant with this one: a variant label, or a loss name (see R__views.sql)
    baseline_loss text NOT NULL DEFAULT 'triplet-hn',
    status        text NOT NULL DEFAULT 'running'
                  CONSTRAINT benchmark_status_known
                  CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
CREATE INDEX benchmark_name ON benchmark (name, created_at DESC);

-- A dataset a run trains and tests on: files on disk (path) or a generator (generator_params).
CREATE TABLE dataset (
    id               text PRIMARY KEY,
    kind             text NOT NULL,
    path             text,
    generator_params jsonb,
    -- known once the dataset has been prepared
    content_hash     text,
    split_sizes      jsonb NOT NULL DEFAULT '{}'
                     CONSTRAINT dataset_split_sizes_object CHECK (jsonb_typeof(split_sizes) = 'object'),
    -- the test protocol the leaderboard ranks by (test, coco1k, coco5k, msrvtt1ka, ...)
    primary_split    text NOT NULL DEFAULT 'test',
    created_at       timestamptz NOT NULL DEFAULT now(),
    prepared_at      timestamptz,
    CONSTRAINT dataset_has_source CHECK (path IS NOT NULL OR generator_params IS NOT NULL)
);

-- One cell of a matrix: dataset x model x loss variant x seed.
CREATE TABLE run (
    id                  text PRIMARY KEY,            -- stable hash of the cell, chosen by the caller
    benchmark_id        text NOT NULL CONSTRAINT run_benchmark_fk REFERENCES benchmark (id),
    dataset_id          text NOT NULL CONSTRAINT run_dataset_fk REFERENCES dataset (id),
    model               text NOT NULL,
    loss_name           text NOT NULL,               -- e.g. unified, triplet-hn, infonce
    loss_params         jsonb NOT NULL DEFAULT '{}',
    variant             text NOT NULL,               -- the loss variant label, e.g. unified:gamma=50,margin=0.2
    seed                bigint NOT NULL,
    training_config     jsonb NOT NULL DEFAULT '{}',
    status              text NOT NULL DEFAULT 'pending'
                        CONSTRAINT run_status_known
                        CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'diverged', 'cancelled')),
    attempts            integer NOT NULL DEFAULT 0 CONSTRAINT run_attempts_non_negative CHECK (attempts >= 0),
    worker              text,
    error               text,
    best_epoch          integer CONSTRAINT run_best_epoch_non_negative CHECK (best_epoch >= 0),
    checkpoint_location text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,                 -- of the current (latest) attempt
    finished_at         timestamptz,
    -- a seed counts once per variant: the leaderboard's seed counts and means rely on it
    CONSTRAINT run_cell_unique UNIQUE (benchmark_id, dataset_id, model, variant, seed)
);
CREATE INDEX run_benchmark_status ON run (benchmark_id, status);

-- The allowed status changes and the run_event kind each one records; NULL means refused.
-- Forward only, except that a failed, diverged or cancelled run may be resumed; succeeded is terminal.
-- Immutable data in a function rather than a table, so nothing can edit the graph at run time.
CREATE FUNCTION run_transition_kind(from_status text, to_status text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT t.kind
    FROM (VALUES ('pending',   'running',   'status'),
                 ('pending',   'failed',    'status'),
                 ('pending',   'cancelled', 'status'),
                 ('running',   'running',   'retry'),
                 ('running',   'succeeded', 'status'),
                 ('running',   'failed',    'status'),
                 ('running',   'diverged',  'status'),
                 ('running',   'cancelled', 'status'),
                 ('failed',    'pending',   'resume'),
                 ('failed',    'running',   'resume'),
                 ('diverged',  'pending',   'resume'),
                 ('diverged',  'running',   'resume'),
                 ('cancelled', 'pending',   'resume'),
                 ('cancelled', 'running',   'resume')) AS t (f, s, kind)
    WHERE t.f = $1 AND t.s = $2
$$;

-- A backstop for any writer that bypasses RunRepository: the database itself refuses a backward step.
CREATE FUNCTION run_refuse_backward_status() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status AND run_transition_kind(OLD.status, NEW.status) IS NULL THEN
        RAISE EXCEPTION 'run % cannot go from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER run_status_forward_only
    BEFORE UPDATE OF status ON run
    FOR EACH ROW EXECUTE FUNCTION run_refuse_backward_status();

-- Training progress, one row per run and epoch; rewritten when a resumed run repeats an epoch.
CREATE TABLE epoch_metric (
    run_id        text NOT NULL CONSTRAINT epoch_metric_run_fk REFERENCES run (id),
    epoch         integer NOT NULL CONSTRAINT epoch_metric_epoch_non_negative CHECK (epoch >= 0),
    train_loss    double precision NOT NULL,        -- NaN is kept: it is how a diverged run looks
    -- validation Recall@K, all six or none (an epoch may skip validation)
    val_i2t_r1    double precision CHECK (val_i2t_r1 BETWEEN 0 AND 100),
    val_i2t_r5    double precision CHECK (val_i2t_r5 BETWEEN 0 AND 100),
    val_i2t_r10   double precision CHECK (val_i2t_r10 BETWEEN 0 AND 100),
    val_t2i_r1    double precision CHECK (val_t2i_r1 BETWEEN 0 AND 100),
    val_t2i_r5    double precision CHECK (val_t2i_r5 BETWEEN 0 AND 100),
    val_t2i_r10   double precision CHECK (val_t2i_r10 BETWEEN 0 AND 100),
    val_rsum      double precision GENERATED ALWAYS AS
                  (val_i2t_r1 + val_i2t_r5 + val_i2t_r10 + val_t2i_r1 + val_t2i_r5 + val_t2i_r10) STORED,
    lr            double precision NOT NULL,
    seconds       double precision NOT NULL CONSTRAINT epoch_metric_seconds_non_negative CHECK (seconds >= 0),
    samples_per_s double precision NOT NULL CONSTRAINT epoch_metric_throughput_non_negative CHECK (samples_per_s >= 0),
    grad_norm     double precision,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, epoch),
    CONSTRAINT epoch_metric_validation_complete CHECK (
        num_nulls(val_i2t_r1, val_i2t_r5, val_i2t_r10, val_t2i_r1, val_t2i_r5, val_t2i_r10) IN (0, 6))
);

-- Final evaluation of a run under one test protocol (split): test, coco1k, coco5k, msrvtt1ka, ...
CREATE TABLE result (
    run_id      text NOT NULL CONSTRAINT result_run_fk REFERENCES run (id),
    split       text NOT NULL,
    i2t_r1      double precision NOT NULL CHECK (i2t_r1 BETWEEN 0 AND 100),
    i2t_r5      double precision NOT NULL CHECK (i2t_r5 BETWEEN 0 AND 100),
    i2t_r10     double precision NOT NULL CHECK (i2t_r10 BETWEEN 0 AND 100),
    t2i_r1      double precision NOT NULL CHECK (t2i_r1 BETWEEN 0 AND 100),
    t2i_r5      double precision NOT NULL CHECK (t2i_r5 BETWEEN 0 AND 100),
    t2i_r10     double precision NOT NULL CHECK (t2i_r10 BETWEEN 0 AND 100),
    rsum        double precision GENERATED ALWAYS AS
                (i2t_r1 + i2t_r5 + i2t_r10 + t2i_r1 + t2i_r5 + t2i_r10) STORED,
    -- ranks are 1-based
    i2t_medr    double precision NOT NULL CHECK (i2t_medr >= 1),
    i2t_meanr   double precision NOT NULL CHECK (i2t_meanr >= 1),
    t2i_medr    double precision NOT NULL CHECK (t2i_medr >= 1),
    t2i_meanr   double precision NOT NULL CHECK (t2i_meanr >= 1),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, split)
);

-- What happened to each run, in order: registration, status changes, retries, resumes, notes. Append-only.
CREATE TABLE run_event (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id      text NOT NULL CONSTRAINT run_event_run_fk REFERENCES run (id),
    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    kind        text NOT NULL
                CONSTRAINT run_event_kind_known CHECK (kind IN ('registered', 'status', 'retry', 'resume', 'note')),
    from_status text,
    to_status   text,
    worker      text,
    attempt     integer,
    message     text
);
CREATE INDEX run_event_run ON run_event (run_id, id);

CREATE FUNCTION run_event_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'run_event is append-only: % of event % refused', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER run_event_append_only
    BEFORE UPDATE OR DELETE ON run_event
    FOR EACH ROW EXECUTE FUNCTION run_event_refuse_change();
