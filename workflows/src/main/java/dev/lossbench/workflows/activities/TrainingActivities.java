package dev.lossbench.workflows.activities;

import io.temporal.activity.ActivityInterface;

/**
 * Training (queue {@code gpu}). Heartbeats carry {@link TrainingProgress}; a retry after a lost
 * worker continues from the run's last checkpoint on the shared artifacts volume; every epoch's
 * metrics are upserted into the store as it ends.
 */
@ActivityInterface
public interface TrainingActivities {
  TrainingOutcome train(RunPlan run);
}
