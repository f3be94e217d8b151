package dev.lossbench.workflows;

/**
 * Timeouts that depend on the deployment rather than on the matrix. A heartbeat timeout decides
 * how soon a run on a dead worker is retried elsewhere; tests shorten it.
 *
 * @param heartbeatTimeoutSeconds a training or evaluation silent this long is considered lost
 * @param trainingTimeoutHours upper bound on one training attempt
 * @param maxTrainingAttempts attempts per training before the run fails (worker losses count)
 * @param runsPerWorkflowRun cells one benchmark workflow run handles before it continues as new,
 *     which keeps each run's history far below Temporal's limits (50K events, 50 MB) at any matrix
 *     size; 0 or less means {@link #RUNS_PER_WORKFLOW_RUN}
 */
public record OrchestrationSettings(int heartbeatTimeoutSeconds, int trainingTimeoutHours, int maxTrainingAttempts,
    int runsPerWorkflowRun) {
  /**
   * About 8 history events and a few kilobytes of payload per cell: 1,000 cells are ~8K events and
   * a few megabytes per workflow run.
   */
  public static final int RUNS_PER_WORKFLOW_RUN = 1000;

  public OrchestrationSettings {
    runsPerWorkflowRun = runsPerWorkflowRun <= 0 ? RUNS_PER_WORKFLOW_RUN : runsPerWorkflowRun;
  }

  public OrchestrationSettings(int heartbeatTimeoutSeconds, int trainingTimeoutHours, int maxTrainingAttempts) {
    this(heartbeatTimeoutSeconds, trainingTimeoutHours, maxTrainingAttempts, RUNS_PER_WORKFLOW_RUN);
  }

  /** Without a {@code --heartbeat-timeout}: a worker lost mid-training is noticed after three minutes. */
  public static final int DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 180;

  public static OrchestrationSettings defaults() {
    return new OrchestrationSettings(DEFAULT_HEARTBEAT_TIMEOUT_SECONDS, 72, 10);
  }

  public OrchestrationSettings withRunsPerWorkflowRun(int n) {
    return new OrchestrationSettings(heartbeatTimeoutSeconds, trainingTimeoutHours, maxTrainingAttempts, n);
  }
}
