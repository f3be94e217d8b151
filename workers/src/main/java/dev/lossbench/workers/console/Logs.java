package dev.lossbench.workers.console;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.util.concurrent.Callable;

/**
 * The command talks to people; libraries talk to the log. While a command with a home runs ({@code run},
 * {@code resume}, {@code status}, {@code leaderboard}, {@code report}, {@code study}), {@code System.err} — where
 * slf4j-simple writes Temporal's, PostgreSQL's and DJL's warnings, with the stack traces of failed activities —
 * is {@code HOME/logs/lossbench.log}, appended to. The command's own one-line messages go to picocli's error
 * writer, which was made on the terminal's stderr before the switch ({@link #terminal()}), and so do progress bars.
 */
public final class Logs {
  private static final PrintStream TERMINAL = System.err;

  private Logs() {}

  /** The terminal's stderr, whatever {@code System.err} is now. */
  public static PrintStream terminal() {
    return TERMINAL;
  }

  /**
   * Runs {@code body} with {@code System.err} appending to {@code logFile}; when the file cannot be opened the
   * logs stay on stderr rather than being lost.
   */
  public static <T> T into(Path logFile, Callable<T> body) throws Exception {
    PrintStream file;
    try {
      Files.createDirectories(logFile.getParent());
      file = new PrintStream(new FileOutputStream(logFile.toFile(), true), true, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return body.call();
    }
    PrintStream before = System.err;
    file.println("---- " + OffsetDateTime.now() + " lossbench " + ProcessHandle.current().pid());
    System.setErr(file);
    try {
      return body.call();
    } finally {
      System.setErr(before);
      // a background thread still holding the stream gets a closed PrintStream, which drops its writes silently
      file.close();
    }
  }

  /** Appends {@code text} to {@code logFile}; false when it cannot be written. */
  public static boolean append(Path logFile, String text) {
    try {
      Files.createDirectories(logFile.getParent());
      Files.writeString(logFile, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
