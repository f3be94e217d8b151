package dev.lossbench.schema.record;

import java.time.Instant;

/**
 * One line of a run's history. {@code fromStatus}/{@code toStatus} are set for status changes (and
 * {@code toStatus} for registration); {@code attempt} is the run's attempt count after the change.
 */
public record RunEvent(
    long id,
    String runId,
    Instant occurredAt,
    RunEventKind kind,
    RunStatus fromStatus,
    RunStatus toStatus,
    String worker,
    Integer attempt,
    String message) {}
