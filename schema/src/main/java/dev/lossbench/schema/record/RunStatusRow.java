package dev.lossbench.schema.record;

/**
 * Runs of one benchmark in one status (the {@code run_status} view). Durations are of the latest attempt, in
 * seconds; a running run counts up to now; null when no run in this status has started.
 */
public record RunStatusRow(
    String benchmarkId,
    String benchmarkName,
    RunStatus status,
    int runs,
    int attempts,
    Double meanSeconds,
    Double maxSeconds) {}
