-- Whether a run validates on its dataset's test split (MSR-VTT without MSRVTT_val.csv: the dev split is the 1k-A
-- test set), decided when the run is registered. Anything chosen on such a run's validation figures (its best
-- epoch, a study's choice of variant) was chosen on test data; the study marks it so.
-- Once true it stays true: a re-registration can set it, never clear it (an attempt may already have validated
-- on test data).
ALTER TABLE run ADD COLUMN validation_is_test boolean NOT NULL DEFAULT false;
