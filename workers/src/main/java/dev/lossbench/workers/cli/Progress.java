package dev.lossbench.workers.cli;

import dev.lossbench.workers.stack.ProgressListener;
import java.io.PrintWriter;

/** Chooses how progress is shown: plain periodic lines unless a person is watching a terminal. */
final class Progress {
  private Progress() {}

  static ProgressListener forOutput(PrintWriter out) {
    return new LineProgress(out, 10);
  }
}
