-- Fencing: which training attempt may write a run's figures. A training attempt claims its run when it starts
-- (RunRepository.claim); from then on the run's epoch metrics, checkpoint pointer and best epoch are written only
-- by that attempt (the run's status is running and the claim is still its own). An attempt that lost its claim
-- to a newer one (a worker paused or cut off past the heartbeat timeout, then back) is refused and stops.
--
-- claim_execution: the execution the attempt belongs to (Temporal workflow run and activity id);
-- claim_attempt: its attempt number there, so that an older attempt of the same execution can never claim back.
ALTER TABLE run
    ADD COLUMN claim_execution text,
    ADD COLUMN claim_attempt   integer CONSTRAINT run_claim_attempt_positive CHECK (claim_attempt >= 1),
    ADD CONSTRAINT run_claim_complete CHECK ((claim_execution IS NULL) = (claim_attempt IS NULL));
