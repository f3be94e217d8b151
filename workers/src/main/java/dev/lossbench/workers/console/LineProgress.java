package dev.lossbench.workers.console;

import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workflows.activities.TrainingProgress;
import dev.lossbench.workflows.benchmark.BenchmarkProgress;
import dev.lossbench.workflows.benchmark.RunState;
import dev.lossbench.workflows.run.RunPhase;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Progress as plain, periodic log lines: for logs and CI, where a redrawn progress bar would be
 * noise. One line per active run and one summary line, at most every {@code everySeconds}.
 */
public final class LineProgress implements ProgressListener {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  private final PrintWriter out;
  private final long everyNanos;
  private long last = Long.MIN_VALUE;
  private String lastSummary = "";

  LineProgress(PrintWriter out, int everySeconds) {
    this.out = out;
    this.everyNanos = everySeconds * 1_000_000_000L;
  }

  @Override
  public void notice(String line) {
    out.println("[" + LocalTime.now().format(CLOCK) + "] " + line);
    out.flush();
  }

  @Override
  public void update(BenchmarkProgress p, Map<String, TrainingProgress> live) {
    String summary = summary(p);
    long now = System.nanoTime();
    if (summary.equals(lastSummary) && now - last < everyNanos) {
      return;
    }
    last = now;
    lastSummary = summary;
    out.println("[" + LocalTime.now().format(CLOCK) + "] " + summary);
    for (RunState r : p.running()) {
      TrainingProgress t = live.get(r.runId());
      out.println("    " + describe(r) + (t == null
          ? "  starting"
          : String.format(Locale.ROOT, "  epoch %d/%d step %d/%d loss %.4f  %.0f pairs/s",
              t.epoch() + 1, t.epochs(), t.step(), t.steps(), t.loss(), t.samplesPerSecond())));
    }
    out.flush();
  }

  static String summary(BenchmarkProgress p) {
    return String.format(Locale.ROOT, "%s: %d/%d runs finished (%d succeeded, %d failed, %d diverged), %d running",
        p.phase(), p.counts().finished(), p.counts().total(), p.count(RunPhase.SUCCEEDED), p.count(RunPhase.FAILED),
        p.count(RunPhase.DIVERGED), p.count(RunPhase.RUNNING));
  }

  public static String describe(RunState r) {
    return r.dataset() + " · " + r.loss() + " · seed " + r.seed();
  }
}
