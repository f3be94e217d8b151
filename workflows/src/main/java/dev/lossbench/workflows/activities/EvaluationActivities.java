package dev.lossbench.workflows.activities;

import io.temporal.activity.ActivityInterface;

/** Test evaluation of a run's best checkpoint under each protocol of its dataset (queue {@code gpu}). */
@ActivityInterface
public interface EvaluationActivities {
  void evaluate(RunPlan run, String checkpoint);
}
