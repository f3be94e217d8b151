package dev.lossbench.workflows;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Activity options per activity type, in one place. */
public final class ActivityPolicies {
  private ActivityPolicies() {}

  /** Non-retryable: user mistakes, divergence, full or unwritable storage and memory run out, which a retry cannot fix. */
  private static RetryOptions.Builder retry() {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setBackoffCoefficient(2)
        .setMaximumInterval(Duration.ofSeconds(30))
        .setDoNotRetry(FailureTypes.INVALID_INPUT, FailureTypes.DIVERGED, FailureTypes.STORAGE,
            FailureTypes.RESOURCE);
  }

  /** Store bookkeeping: quick, retried until the database is back (up to an hour). */
  public static ActivityOptions store() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.CPU)
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setScheduleToCloseTimeout(Duration.ofHours(1))
        .setRetryOptions(retry().build())
        .build();
  }

  /** Dataset preparation: can read or generate gigabytes. */
  public static ActivityOptions datasets() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.CPU)
        .setStartToCloseTimeout(Duration.ofHours(2))
        .setRetryOptions(retry().setMaximumAttempts(5).build())
        .build();
  }

  /** Training: long, heartbeating; a lost worker is noticed after the heartbeat timeout and the run retried elsewhere. */
  public static ActivityOptions training(OrchestrationSettings s) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.GPU)
        .setStartToCloseTimeout(Duration.ofHours(s.trainingTimeoutHours()))
        .setHeartbeatTimeout(Duration.ofSeconds(s.heartbeatTimeoutSeconds()))
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(
            retry().setInitialInterval(Duration.ofSeconds(2)).setMaximumAttempts(s.maxTrainingAttempts()).build())
        .build();
  }

  /** Evaluation: minutes to an hour on real test sets. */
  public static ActivityOptions evaluation(OrchestrationSettings s) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.GPU)
        .setStartToCloseTimeout(Duration.ofHours(6))
        .setHeartbeatTimeout(Duration.ofSeconds(s.heartbeatTimeoutSeconds()))
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(retry().setMaximumAttempts(5).build())
        .build();
  }
}
