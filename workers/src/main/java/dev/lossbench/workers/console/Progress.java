package dev.lossbench.workers.console;

import dev.lossbench.workers.stack.ProgressListener;
import java.io.PrintWriter;

/** Chooses how progress is shown: bars for a person at a terminal, plain periodic lines for logs and CI. */
public final class Progress {
  private Progress() {}

  public static ProgressListener forOutput(PrintWriter out, boolean toStandardOutput) {
    boolean terminal = toStandardOutput && System.console() != null && !"dumb".equals(System.getenv("TERM"));
    return terminal ? new TerminalProgress() : new LineProgress(out, 10);
  }
}
