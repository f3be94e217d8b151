package dev.lossbench.workers.console;

import java.io.PrintWriter;

/**
 * While {@code run} or {@code resume} follows a benchmark: if the process is stopped (Ctrl-C, SIGTERM), one line on
 * the terminal says how to go on. Only a shutdown hook: the JVM's own exit codes (130, 143) and the other hooks
 * ({@code NativeWork}'s wait for the training step in flight) are left as they are.
 */
public final class ResumeHint implements AutoCloseable {
  private final Thread hook;

  private ResumeHint(Thread hook) {
    this.hook = hook;
  }

  /** From now until {@link #close()}, an exit of the JVM prints the resume line for {@code benchmark} on {@code terminal}. */
  public static ResumeHint install(PrintWriter terminal, String benchmark) {
    Thread hook = new Thread(() -> {
      terminal.println();
      terminal.println(line(benchmark));
      terminal.flush();
    }, "lossbench-resume-hint");
    Runtime.getRuntime().addShutdownHook(hook);
    return new ResumeHint(hook);
  }

  static String line(String benchmark) {
    return "interrupted: resume with  lossbench resume " + benchmark;
  }

  /** The command ended by itself: no line. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook prints
    }
  }
}
