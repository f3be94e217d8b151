-- Issue #25: why each training attempt ended when it did not succeed. A retried run's attempts were counted
-- (training_attempt, run.attempts) but their reasons were lost: only the last failure reached run.error.
--
-- failure: the one-line message of the failure that ended the attempt (as the run's error would say it), written
-- by the attempt itself; for an attempt that left no result (its worker died or stopped heartbeating), written by
-- the next attempt of the same execution when it claims the run: 'lost: no result from attempt N'. NULL while the
-- attempt runs, when it succeeded, and when its end is not known (an attempt of an earlier execution, e.g. a
-- benchmark resumed after its process was stopped). Never rewritten once set.

ALTER TABLE training_attempt ADD COLUMN failure text;
