package dev.lossbench.workflows.benchmark;

import dev.lossbench.workflows.activities.PreparedDataset;
import dev.lossbench.workflows.adaptive.AdaptiveState;
import java.util.List;
import java.util.Map;

/**
 * What a benchmark workflow run hands to the next when it continues as new: where it stopped and what the
 * next run needs of the earlier ones. Bounded by the matrix's size only through {@code skip} (ids of runs that
 * succeeded in an earlier submission and are still ahead); everything else is counts or failures.
 *
 * @param nextCell index in {@code spec.cells()} of the first cell not handled yet; every cell before it has ended
 * @param counts the runs counted by state so far
 * @param problems the first runs that ended without succeeding (at most {@link BenchmarkSummary#MAX_PROBLEMS})
 * @param prepared datasets prepared by the first run, by dataset id
 * @param unprepared datasets whose preparation failed, by dataset id: the error the first run recorded
 * @param endedParents runs some later cell starts from that ended without succeeding (every other parent
 *     before {@code nextCell} succeeded)
 * @param skip runs at or after {@code nextCell} that had succeeded before this submission
 * @param workflowRun how many workflow runs came before this one
 * @param contentRunIds runs are identified by their cell's content ({@link dev.lossbench.workflows.RunIds#ofCell});
 *     false in continuations written before, whose runs are per benchmark
 * @param runIds {@link dev.lossbench.workflows.activities.CellRuns#runIds()} of the registration ({@code null}: none)
 * @param adaptive where an adaptive benchmark's decisions stand ({@code null}: not adaptive)
 */
public record BenchmarkContinuation(int nextCell, RunCounts counts, List<RunState> problems,
    Map<String, PreparedDataset> prepared, Map<String, Ending> unprepared, Map<String, Ending> endedParents,
    List<String> skip, int workflowRun, boolean contentRunIds, Map<String, String> runIds, AdaptiveState adaptive) {

  public BenchmarkContinuation(int nextCell, RunCounts counts, List<RunState> problems,
      Map<String, PreparedDataset> prepared, Map<String, Ending> unprepared, Map<String, Ending> endedParents,
      List<String> skip, int workflowRun, boolean contentRunIds, Map<String, String> runIds) {
    this(nextCell, counts, problems, prepared, unprepared, endedParents, skip, workflowRun, contentRunIds, runIds,
        null);
  }
}
