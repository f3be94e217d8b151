package dev.lossbench.workflows.benchmark;

import dev.lossbench.workflows.ActivityPolicies;
import dev.lossbench.workflows.FailureTypes;
import dev.lossbench.workflows.activities.DatasetActivities;
import dev.lossbench.workflows.activities.PreparedDataset;
import dev.lossbench.workflows.matrix.Cell;
import dev.lossbench.workflows.matrix.DatasetSpec;
import dev.lossbench.workflows.run.RunPhase;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Workflow code: the datasets a benchmark's cells need, each prepared once, all at the same time. */
final class DatasetPreparation {
  private final DatasetActivities datasets;

  DatasetPreparation(ActivityOptions options) {
    this.datasets = Workflow.newActivityStub(DatasetActivities.class, options);
  }

  DatasetPreparation() {
    this(ActivityPolicies.datasets());
  }

  /**
   * Prepares the dataset of each cell {@code needed} accepts, once: what was prepared lands in {@code prepared}, a
   * dataset that could not be prepared in {@code unprepared} with the failure its cells' runs end with.
   */
  void prepare(List<Cell> cells, Predicate<Cell> needed, Map<String, PreparedDataset> prepared,
      Map<String, Ending> unprepared) {
    Map<String, Promise<PreparedDataset>> pending = new LinkedHashMap<>();
    for (Cell c : cells) {
      DatasetSpec d = c.dataset();
      if (needed.test(c) && !pending.containsKey(d.id())) {
        pending.put(d.id(), Async.function(datasets::prepare, d));
      }
    }
    for (Map.Entry<String, Promise<PreparedDataset>> e : pending.entrySet()) {
      try {
        prepared.put(e.getKey(), e.getValue().get());
      } catch (ActivityFailure f) {
        if (f.getCause() instanceof CanceledFailure cf) {
          throw cf;
        }
        unprepared.put(e.getKey(), new Ending(RunPhase.FAILED, FailureTypes.messageOf(f), FailureTypes.typeOf(f)));
      }
    }
  }
}
