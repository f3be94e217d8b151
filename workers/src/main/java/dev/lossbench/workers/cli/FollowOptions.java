package dev.lossbench.workers.cli;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.workflows.OrchestrationSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How {@code run} and {@code resume} submit a benchmark and how long they wait for a cluster's workers. */
final class FollowOptions {
  static final int MIN_HEARTBEAT_TIMEOUT_SECONDS = 10;

  @Option(names = "--heartbeat-timeout", paramLabel = "SECONDS", defaultValue = ""
      + OrchestrationSettings.DEFAULT_HEARTBEAT_TIMEOUT_SECONDS, description = "a training or evaluation whose worker sent no heartbeat for this long is lost and retried on another"
          + " worker (default: ${DEFAULT-VALUE}). Shorter notices a killed worker sooner; a pause longer than it (a worker"
          + " loading libtorch, a long GC, a slow validation) then costs an attempt. Applies to benchmarks this command starts.")
  int heartbeatTimeoutSeconds;

  @Option(names = "--worker-wait", paramLabel = "SECONDS", defaultValue = "120", description = "with --temporal: stop following (exit 2, the benchmark goes on) when no workflow worker has answered"
      + " for this long (default: ${DEFAULT-VALUE})")
  int workerWaitSeconds;

  OrchestrationSettings settings() {
    if (heartbeatTimeoutSeconds < MIN_HEARTBEAT_TIMEOUT_SECONDS) {
      throw new InvalidInputException(
          "--heartbeat-timeout: " + heartbeatTimeoutSeconds + " s is too short: expected at least "
              + MIN_HEARTBEAT_TIMEOUT_SECONDS + " s (workers heartbeat every 3 s)");
    }
    OrchestrationSettings d = OrchestrationSettings.defaults();
    return new OrchestrationSettings(heartbeatTimeoutSeconds, d.trainingTimeoutHours(), d.maxTrainingAttempts(),
        d.runsPerWorkflowRun());
  }

  Duration workerWait() {
    if (workerWaitSeconds < 1) {
      throw new InvalidInputException(
          "--worker-wait: expected a number of seconds of at least 1, got " + workerWaitSeconds);
    }
    return Duration.ofSeconds(workerWaitSeconds);
  }
}
