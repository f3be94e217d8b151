package dev.lossbench.workflows.activities;

import dev.lossbench.workflows.run.RunPhase;

/**
 * A run as the store has it at a rung of early stopping.
 *
 * @param status the run's status now
 * @param validationRsum its validation rSum after the rung's epochs ({@code epoch_metric.epoch = epochs - 1});
 *     {@code null} when it has not trained that far
 */
public record RunAtRung(String runId, RunPhase status, Double validationRsum) {}
