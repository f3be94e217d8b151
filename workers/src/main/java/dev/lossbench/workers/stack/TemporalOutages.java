package dev.lossbench.workers.stack;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One line when the Temporal frontend stops answering and one when it is back, instead of the SDK pollers' stack
 * trace per failed poll (several kilobytes a second while Temporal is down; those loggers are off in
 * {@code simplelogger.properties}). Checks Temporal's health endpoint every {@link #EVERY}.
 */
public final class TemporalOutages implements AutoCloseable {
  static final Duration EVERY = Duration.ofSeconds(5);

  private final ScheduledExecutorService timer;

  private TemporalOutages(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  public static TemporalOutages watch(TemporalConnection connection, PrintWriter err) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "temporal-outages");
      t.setDaemon(true);
      return t;
    });
    long[] downSince = {0};
    timer.scheduleWithFixedDelay(() -> {
      boolean up;
      String why = "";
      try {
        connection.stubs().healthCheck();
        up = true;
      } catch (RuntimeException e) {
        up = false;
        why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
      }
      if (!up && downSince[0] == 0) {
        downSince[0] = System.nanoTime();
        err.println("lossbench worker: Temporal at " + connection.target() + " does not answer (" + why
            + "); polling on, one line when it is back");
        err.flush();
      } else if (up && downSince[0] != 0) {
        err.println(String.format(Locale.ROOT, "lossbench worker: Temporal at %s answers again after %.0f s",
            connection.target(), (System.nanoTime() - downSince[0]) / 1e9));
        err.flush();
        downSince[0] = 0;
      }
    }, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return new TemporalOutages(timer);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
