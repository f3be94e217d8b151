package dev.lossbench.workers.activities;

import dev.lossbench.schema.StoreOutage;
import dev.lossbench.schema.failure.DatabaseConfigurationException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a training or evaluation attempt waits for the metrics store when a write finds it down (stopped,
 * restarting, failing over), instead of failing and spending one of its attempts: up to
 * {@code LOSSBENCH_DB_OUTAGE_WAIT_SECONDS} (default {@value #DEFAULT_SECONDS}, 30 minutes) per outage, the one
 * place that decides it. Meanwhile the attempt heartbeats, so that Temporal does not take it for lost; past the
 * limit the store's error fails the attempt as any other error does (then retried with backoff).
 */
public record OutageWait(Duration limit) {
  public static final String VARIABLE = "LOSSBENCH_DB_OUTAGE_WAIT_SECONDS";
  public static final long DEFAULT_SECONDS = 1800;
  private static final Logger LOG = LoggerFactory.getLogger(OutageWait.class);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

  public OutageWait {
    if (limit.isNegative()) {
      throw new IllegalArgumentException("an outage wait must not be negative, got " + limit);
    }
  }

  /** The limit {@code environment} sets, or the default. */
  public static OutageWait fromEnvironment(Map<String, String> environment) {
    String value = environment.get(VARIABLE);
    if (value == null || value.isBlank()) {
      return new OutageWait(Duration.ofSeconds(DEFAULT_SECONDS));
    }
    try {
      long seconds = Long.parseLong(value.trim());
      if (seconds >= 0) {
        return new OutageWait(Duration.ofSeconds(seconds));
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new DatabaseConfigurationException(
        VARIABLE + " must be a whole number of seconds (0 or more), got: " + value);
  }

  /**
   * Runs {@code write}; while it fails because the store is down, beats {@code heartbeat} (which throws when the
   * attempt is cancelled), pauses (1, 2, 4, then 5 s) and runs it again, until it succeeds or the outage has
   * lasted longer than {@link #limit} (checked after each try; a try waits up to 10 s for a connection). {@code write} must be safe to repeat (the store's writes are upserts or
   * claims of the same attempt).
   */
  public <T> T call(String what, Supplier<T> write, Runnable heartbeat) {
    long start = System.nanoTime();
    Duration pause = Duration.ofSeconds(1);
    boolean waited = false;
    while (true) {
      try {
        T result = write.get();
        if (waited) {
          LOG.warn("{}: the metrics store is back after {} s", what, (System.nanoTime() - start) / 1_000_000_000L);
        }
        return result;
      } catch (RuntimeException e) {
        if (!StoreOutage.isOutage(e)) {
          throw e;
        }
        Duration down = Duration.ofNanos(System.nanoTime() - start);
        if (down.compareTo(limit) >= 0) {
          LOG.warn("{}: the metrics store has been unreachable for {} s, longer than {} allows ({} s): giving up",
              what, down.toSeconds(), VARIABLE, limit.toSeconds());
          throw e;
        }
        if (!waited) {
          LOG.warn("{}: the metrics store is unreachable ({}); waiting for it up to {} s", what, reason(e),
              limit.toSeconds());
          waited = true;
        }
        heartbeat.run();
        sleep(pause);
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
      }
    }
  }

  /** {@link #call} for a write with no result. */
  public void run(String what, Runnable write, Runnable heartbeat) {
    call(what, () -> {
      write.run();
      return null;
    }, heartbeat);
  }

  // the driver's words ("Connection refused", "terminating connection due to administrator command"), not the
  // statement and its arguments Jdbi adds
  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException && t.getMessage() != null) {
        return t.getMessage();
      }
    }
    return String.valueOf(e.getMessage());
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the metrics store", e);
    }
  }
}
