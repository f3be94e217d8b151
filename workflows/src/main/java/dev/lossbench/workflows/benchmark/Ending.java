package dev.lossbench.workflows.benchmark;

import dev.lossbench.workflows.run.RunPhase;

/** How something ended without succeeding: a run's status, or a dataset's failed preparation ({@code failed}). */
public record Ending(RunPhase status, String error, String errorType) {}
