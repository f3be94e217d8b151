package dev.lossbench.schema.repository;

import java.util.Locale;

/**
 * Where a run is. Allowed changes (enforced by the database, see {@code run_transition_kind} in V1): pending →
 * running → succeeded | failed | diverged | cancelled; pending → failed | cancelled; running → running (a retry,
 * possibly on another worker); failed | diverged | cancelled → pending | running (resume). Succeeded is final.
 */
public enum RunStatus {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Training produced NaN or infinity. */
    DIVERGED,
    CANCELLED;

    /** The value stored in the database, e.g. {@code running}. */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the statuses a run ends an attempt in: succeeded, failed, diverged, cancelled. */
    public boolean isFinished() {
        return this != PENDING && this != RUNNING;
    }

    public static RunStatus fromSql(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
