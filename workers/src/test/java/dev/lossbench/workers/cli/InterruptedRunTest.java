package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} stopped with SIGTERM and {@code resume} stopped with SIGINT (Ctrl-C), as a person's terminal sends
 * them to the real entry point in its own JVM: each says how to resume, with the exit code of its signal.
 */
class InterruptedRunTest {
  @TempDir
  Path dir;

  // long enough that it is still training when the signal comes
  private static final String MATRIX = BenchmarkCommandsTest.MATRIX.replace("name: cli", "name: stopped")
      .replace("training: {epochs: 2, batch_size: 16, max_steps_per_epoch: 2}",
          "training: {epochs: 200, batch_size: 16}");

  @Test
  void aStoppedRunOrResumeSaysHowToResume() throws Exception {
    Path matrix = Files.writeString(dir.resolve("stopped.yaml"), MATRIX);
    Path home = dir.resolve("home");

    Child run = start("run", matrix.toString(), "--home", home.toString());
    run.awaitStdout("  epoch "); // registered and training
    run.process.destroy(); // SIGTERM
    assertEquals(143, run.exit(), run.output());
    assertTrue(run.stderr().contains("interrupted: resume with  lossbench resume stopped"), run.output());

    Child resume = start("resume", "stopped", "--home", home.toString());
    resume.awaitStdout("runs");
    new ProcessBuilder("kill", "-INT", Long.toString(resume.process.pid())).start().waitFor();
    assertEquals(130, resume.exit(), resume.output());
    assertTrue(resume.stderr().contains("interrupted: resume with  lossbench resume stopped"), resume.output());
  }

  private record Child(Process process, Path out, Path err) {
    void awaitStdout(String text) throws Exception {
      Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
      while (!Files.readString(out).contains(text)) {
        if (!process.isAlive() || Instant.now().isAfter(deadline)) {
          process.destroyForcibly();
          throw new AssertionError("no '" + text + "' on stdout: " + output());
        }
        Thread.sleep(200);
      }
    }

    int exit() throws Exception {
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("did not stop in 5 minutes: " + output());
      }
      return process.exitValue();
    }

    String stderr() {
      try {
        return Files.readString(err);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    String output() {
      try {
        return "stdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err);
      } catch (java.io.IOException e) {
        return e.toString();
      }
    }
  }

  private Child start(String... args) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true", "-cp", classpath,
        LossbenchCommand.class.getName()));
    command.addAll(java.util.List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("LOSSBENCH_"));
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    Path out = Files.createTempFile(dir, args[0], ".out");
    Path err = Files.createTempFile(dir, args[0], ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    return new Child(pb.start(), out, err);
  }
}
