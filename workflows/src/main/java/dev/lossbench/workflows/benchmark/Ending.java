package dev.lossbench.workflows.benchmark;

import dev.lossbench.workflows.benchmark.RunState.Status;

/** How something ended without succeeding: a run's status, or a dataset's failed preparation ({@code failed}). */
public record Ending(Status status, String error, String errorType) {}
