package dev.lossbench.schema.failure;

import dev.lossbench.schema.record.RunStatus;
import java.util.Set;
import java.util.stream.Collectors;

/** A status change the run's current status does not allow (it would go backwards). The row is unchanged. */
public final class RunTransitionRefusedException extends MetricsStoreException {
  private static final long serialVersionUID = 1L;

  private final String runId;
  private final RunStatus from;
  private final RunStatus to;

  public RunTransitionRefusedException(String runId, RunStatus from, RunStatus to, Set<RunStatus> allowed) {
    super("run " + runId + " cannot go from " + from.sqlName() + " to " + to.sqlName() + ": "
        + (allowed.isEmpty()
            ? from.sqlName() + " is final"
            : "from " + from.sqlName() + " it may only go to "
                + allowed.stream().map(RunStatus::sqlName).sorted().collect(Collectors.joining(", "))));
    this.runId = runId;
    this.from = from;
    this.to = to;
  }

  public String runId() {
    return runId;
  }

  public RunStatus from() {
    return from;
  }

  public RunStatus to() {
    return to;
  }
}
