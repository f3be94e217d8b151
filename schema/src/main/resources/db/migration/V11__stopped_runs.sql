-- Adaptive matrices (issue #22): successive halving stops the loss variants that lose at a rung. Such a run is
-- 'stopped', not failed: it trained to its rung, keeps its checkpoint, counts in the benchmark's compute, has no
-- test result and is left out of comparisons. It can be continued later from its checkpoint ('promote':
-- `lossbench resume NAME --promote VARIANT`, or a matrix that contains the same cell), to the epochs its cell names.

ALTER TABLE run DROP CONSTRAINT run_status_known;
ALTER TABLE run ADD CONSTRAINT run_status_known
    CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'diverged', 'cancelled', 'stopped'));

-- the rung (epoch) at which successive halving stopped the run; NULL for every other status
ALTER TABLE run ADD COLUMN stopped_epoch integer CONSTRAINT run_stopped_epoch_positive CHECK (stopped_epoch >= 1);

ALTER TABLE run_event DROP CONSTRAINT run_event_kind_known;
ALTER TABLE run_event ADD CONSTRAINT run_event_kind_known
    CHECK (kind IN ('registered', 'status', 'retry', 'resume', 'note', 'stop', 'promote'));

CREATE OR REPLACE FUNCTION run_transition_kind(from_status text, to_status text) RETURNS text
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
                 ('running',   'stopped',   'stop'),
                 ('failed',    'pending',   'resume'),
                 ('failed',    'running',   'resume'),
                 ('diverged',  'pending',   'resume'),
                 ('diverged',  'running',   'resume'),
                 ('cancelled', 'pending',   'resume'),
                 ('cancelled', 'running',   'resume'),
                 ('stopped',   'pending',   'promote'),
                 ('stopped',   'running',   'promote')) AS t (f, s, kind)
    WHERE t.f = $1 AND t.s = $2
$$;
