package dev.lossbench.workflows.activities;

import java.util.List;
import java.util.Map;

/**
 * What registering a benchmark's cells found: the run of each cell and which of them had already succeeded.
 *
 * @param runIds the run of a cell, by {@link dev.lossbench.workflows.matrix.Cell#id()}, only where it is not
 *     {@link dev.lossbench.workflows.RunIds#ofCell}{@code (cell id)}: a run an earlier release registered, or a cell
 *     whose content identity the matrix alone does not give (a TorchScript module's bytes). Kept small so that a
 *     2,000-cell benchmark's history stays small.
 * @param succeeded runs of the benchmark's cells that had already succeeded, in this benchmark or another: not
 *     trained again ("from before")
 */
public record CellRuns(Map<String, String> runIds, List<String> succeeded) {
  public CellRuns {
    runIds = runIds == null ? Map.of() : Map.copyOf(runIds);
    succeeded = succeeded == null ? List.of() : List.copyOf(succeeded);
  }
}
