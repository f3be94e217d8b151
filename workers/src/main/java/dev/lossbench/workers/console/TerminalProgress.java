package dev.lossbench.workers.console;

import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workflows.activities.TrainingProgress;
import dev.lossbench.workflows.benchmark.BenchmarkProgress;
import dev.lossbench.workflows.benchmark.RunState;
import dev.lossbench.workflows.run.RunPhase;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Live progress bars for a person at a terminal (the progressbar library): one for the benchmark's
 * finished runs, one per active run over all its steps, with epoch, loss and the library's ETA.
 */
final class TerminalProgress implements ProgressListener {
  private ProgressBar overall;
  private final Map<String, ProgressBar> active = new HashMap<>();

  @Override
  public void notice(String line) {
    Logs.terminal().println();
    Logs.terminal().println(line);
  }

  @Override
  public void update(BenchmarkProgress p, Map<String, TrainingProgress> live) {
    if (overall == null) {
      overall = bar("runs", p.counts().total());
    }
    overall.stepTo(p.counts().finished());
    overall.setExtraMessage(String.format(Locale.ROOT, " %d succeeded, %d failed", p.count(RunPhase.SUCCEEDED),
        p.count(RunPhase.FAILED) + p.count(RunPhase.DIVERGED)));
    Set<String> running = new HashSet<>();
    for (RunState r : p.running()) {
      running.add(r.runId());
      TrainingProgress t = live.get(r.runId());
      if (t != null) {
        ProgressBar b = active.get(r.runId());
        if (b == null) {
          b = bar(LineProgress.describe(r), (long) t.epochs() * t.steps());
          active.put(r.runId(), b);
        }
        b.stepTo((long) t.epoch() * t.steps() + t.step());
        b.setExtraMessage(String.format(Locale.ROOT, " epoch %d/%d step %d/%d loss %.4f", t.epoch() + 1, t.epochs(),
            t.step(), t.steps(), t.loss()));
      }
    }
    // a run no longer in flight has ended: its bar closes
    for (var it = active.entrySet().iterator(); it.hasNext();) {
      var e = it.next();
      if (!running.contains(e.getKey())) {
        e.getValue().close();
        it.remove();
      }
    }
  }

  private static ProgressBar bar(String task, long total) {
    // bars go to the terminal's stderr even while System.err is the log file (see Logs)
    return new ProgressBarBuilder().setConsumer(new ConsoleProgressBarConsumer(Logs.terminal()))
        .setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
        .setUpdateIntervalMillis(500).showSpeed().build();
  }

  @Override
  public void finished() {
    active.values().forEach(ProgressBar::close);
    active.clear();
    if (overall != null) {
      overall.close();
    }
  }
}
