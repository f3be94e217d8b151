package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.retrieval.train.Checkpoint;
import dev.lossbench.retrieval.train.CheckpointException;
import dev.lossbench.schema.Database;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.workflows.TaskQueues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A `lossbench worker` on the gpu queue in a child JVM (so tests can kill or pause it), logging to a file. */
final class WorkerProcess {
  final Process process;
  final Path log;

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static WorkerProcess start(String temporal, EmbeddedPostgresServer pg, Path artifacts, Path log) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-cp", classpath, "dev.lossbench.workers.cli.LossbenchCommand",
        "worker", "--queues", TaskQueues.GPU, "--temporal", temporal, "--artifacts", artifacts.toString());
    pb.environment().put(Database.URL_VARIABLE, pg.jdbcUrl(EmbeddedPostgresServer.DATABASE));
    pb.environment().put(Database.USER_VARIABLE, EmbeddedPostgresServer.SUPERUSER);
    pb.environment().put(Database.PASSWORD_VARIABLE, pg.superuserPassword());
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return new WorkerProcess(pb.start(), log);
  }

  /** {@code lossbench ARGS…} in a child JVM, {@code env} added to its environment, its output in {@code log}. */
  static WorkerProcess lossbench(java.util.List<String> args, java.util.Map<String, String> env, Path log)
      throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    java.util.List<String> cmd = new java.util.ArrayList<>(
        java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dai.djl.offline=true", "-cp", classpath, "dev.lossbench.workers.cli.LossbenchCommand"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove(Database.URL_VARIABLE);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return new WorkerProcess(pb.start(), log);
  }

  /**
   * Waits until the run's last checkpoint is at epoch {@code epoch} or later while the worker lives; fails if the
   * run got to {@code tooFar} first (the test could not interrupt it mid-run).
   */
  void awaitCheckpointAtOrAfter(Path last, int epoch, int tooFar) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      assertTrue(process.isAlive(), () -> "the worker process died early: " + log());
      assertTrue(System.nanoTime() < deadline, () -> "no checkpoint in time: " + log());
      if (Files.exists(last)) {
        try {
          int at = Checkpoint.read(last).epoch();
          assertTrue(at < tooFar, "the run finished before it could be interrupted; make it longer");
          if (at >= epoch) {
            return;
          }
        } catch (CheckpointException e) {
          // being replaced right now: the rename is atomic, so read again
        }
      }
      Thread.sleep(20);
    }
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
