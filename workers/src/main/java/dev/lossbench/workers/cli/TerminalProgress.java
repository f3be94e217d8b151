package dev.lossbench.workers.cli;

import dev.lossbench.workflows.benchmark.RunState.Status;

import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workflows.activities.TrainingProgress;
import dev.lossbench.workflows.benchmark.BenchmarkProgress;
import dev.lossbench.workflows.benchmark.RunState;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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
  public void update(BenchmarkProgress p, Map<String, TrainingProgress> live) {
    if (overall == null) {
      overall = bar("runs", p.runs().size());
    }
    long done = p.runs().stream().filter(r -> r.status().isFinished()).count();
    overall.stepTo(done);
    overall.setExtraMessage(String.format(Locale.ROOT, " %d succeeded, %d failed", p.count(Status.SUCCEEDED), p.count(Status.FAILED) + p.count(Status.DIVERGED)));
    for (RunState r : p.runs()) {
      TrainingProgress t = live.get(r.runId());
      ProgressBar b = active.get(r.runId());
      if (r.status() == Status.RUNNING && t != null) {
        if (b == null) {
          b = bar(LineProgress.describe(r), (long) t.epochs() * t.steps());
          active.put(r.runId(), b);
        }
        b.stepTo((long) t.epoch() * t.steps() + t.step());
        b.setExtraMessage(String.format(Locale.ROOT, " epoch %d/%d step %d/%d loss %.4f", t.epoch() + 1, t.epochs(), t.step(), t.steps(), t.loss()));
      } else if (b != null && r.status() != Status.RUNNING) {
        b.close();
        active.remove(r.runId());
      }
    }
  }

  private static ProgressBar bar(String task, long total) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
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
