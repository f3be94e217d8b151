package dev.lossbench.workflows;

/**
 * Timeouts that depend on the deployment rather than on the matrix. A heartbeat timeout decides
 * how soon a run on a dead worker is retried elsewhere; tests shorten it.
 *
 * @param heartbeatTimeoutSeconds a training or evaluation silent this long is considered lost
 * @param trainingTimeoutHours upper bound on one training attempt
 * @param maxTrainingAttempts attempts per training before the run fails (worker losses count)
 */
public record OrchestrationSettings(int heartbeatTimeoutSeconds, int trainingTimeoutHours, int maxTrainingAttempts) {
  public static OrchestrationSettings defaults() {
    return new OrchestrationSettings(180, 72, 10);
  }
}
