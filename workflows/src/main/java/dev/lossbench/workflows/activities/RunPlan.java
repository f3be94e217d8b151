package dev.lossbench.workflows.activities;

import dev.lossbench.workflows.matrix.Cell;

/** One run as the activities see it: its id, its benchmark, the cell, and the prepared data. */
public record RunPlan(String runId, String benchmarkId, Cell cell, PreparedDataset data) {}
