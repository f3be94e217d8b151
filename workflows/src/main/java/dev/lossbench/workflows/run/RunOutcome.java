package dev.lossbench.workflows.run;

import dev.lossbench.workflows.benchmark.RunState.Status;

/** How a run ended: succeeded, failed, diverged or cancelled, with the error text when it did not succeed. */
public record RunOutcome(String runId, Status status, String error) {}
