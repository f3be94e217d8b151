package dev.lossbench.workflows.benchmark;

import dev.lossbench.workflows.RunIds;
import java.util.HashMap;
import java.util.Map;

/**
 * Which run is a cell's, by {@link dev.lossbench.workflows.matrix.Cell#id()}: as the registration said, or as
 * workflows started before runs were identified by their cell's content made it ({@link RunIds#runId}).
 * Deterministic: everything it knows comes from activity results and the continuation.
 */
final class CellRunIds {
  private final String benchmarkId;
  /** Runs are identified by their cell's content; false in workflows started before ({@link RunIds#runId}). */
  private final boolean byContent;
  /** The registration's run ids where they are not {@link RunIds#ofCell} of the cell id. */
  private final Map<String, String> registered = new HashMap<>();

  /** @param registered run ids the registration returned ({@code null}: none) */
  CellRunIds(String benchmarkId, boolean byContent, Map<String, String> registered) {
    this.benchmarkId = benchmarkId;
    this.byContent = byContent;
    if (registered != null) {
      this.registered.putAll(registered);
    }
  }

  /** The run of the cell with this id. */
  String of(String cellId) {
    if (!byContent) {
      return RunIds.runId(benchmarkId, cellId);
    }
    String id = registered.get(cellId);
    return id != null ? id : RunIds.ofCell(cellId);
  }

  /** Run ids a registration (or a link of further cells) returned. */
  void add(Map<String, String> runIds) {
    registered.putAll(runIds);
  }

  boolean byContent() {
    return byContent;
  }

  /** The registration's run ids, for the continuation. */
  Map<String, String> registered() {
    return Map.copyOf(registered);
  }
}
