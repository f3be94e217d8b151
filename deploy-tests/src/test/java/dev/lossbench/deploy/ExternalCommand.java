package dev.lossbench.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs a tool (node, kubectl) to completion and keeps what it printed. */
public final class ExternalCommand {
  /** What a finished command left: its exit code, standard output and standard error. */
  public record Outcome(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean succeeded() {
      return exitCode == 0;
    }

    /** For assertion messages: the command and everything it printed. */
    public String report() {
      return String.join(" ", command) + " exited " + exitCode + "\n" + stdout + stderr;
    }
  }

  private ExternalCommand() {}

  public static Outcome run(Path workingDirectory, Duration timeout, List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(workingDirectory.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0) + " (is it installed and on the PATH?)", e);
    }
    try {
      process.getOutputStream().close(); // the tools read no input
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // read both streams while the process runs, so that neither pipe fills up and blocks it
    CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process, true));
    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process, false));
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Outcome(List.copyOf(command), process.exitValue(), stdout.get(), stderr.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the output of " + command.get(0), e.getCause());
    }
  }

  private static String read(Process process, boolean standardOutput) {
    try (var in = standardOutput ? process.getInputStream() : process.getErrorStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
