package dev.lossbench.workers.orchestration;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.io.Sha256;
import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.TemporalConnection;
import dev.lossbench.workers.stack.TemporalServer;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.run.RunPhase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing. A worker process (a separate JVM) is paused with SIGSTOP in the middle of training, past the heartbeat
 * timeout; Temporal gives the run to a replacement worker, which finishes it. Then the old process is resumed with
 * SIGCONT. Its connection to Temporal is gone (cut while it was paused, so that Temporal cannot stop it first: the
 * case of a worker cut off from Temporal but not from PostgreSQL), its training thread carries on from where it
 * was — and it stops by itself at its first write, writing nothing: no epoch row, no checkpoint file, no pointer.
 */
class StaleWorkerTest {
  @TempDir
  Path artifacts;
  @TempDir
  Path logs;

  @Test
  void aPausedWorkerThatComesBackAfterItsReplacementWritesNothingAndStops() throws Exception {
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary();
        MetricsStore store = MetricsStore.open(Database.embedded(pg));
        TemporalServer temporal = TemporalServer.start(0);
        TemporalConnection connection = TemporalConnection.connect(temporal.target(), "default", "test");
        WorkerHost orchestration = WorkerHost.start(connection.client(), Set.of(TaskQueues.WORKFLOWS, TaskQueues.CPU),
            store, artifacts, "test");
        Link link = new Link(temporal.port())) {
      BenchmarkClient client = new BenchmarkClient(connection.client());
      OrchestrationSettings settings = new OrchestrationSettings(4, 1, 5);

      BenchmarkSpec reference = Matrices.parse(WorkerKillTest.reference("uninterrupted"), artifacts);
      String refId;
      try (WorkerHost gpu = WorkerHost.start(connection.client(), Set.of(TaskQueues.GPU), store, artifacts,
          "reference")) {
        refId = client.submit(reference, settings).benchmarkId();
        assertEquals(RunPhase.SUCCEEDED, client.await(refId, Duration.ofSeconds(1), ProgressListener.NONE).status());
      }
      String refRun = RunIds.ofCell(reference.cells().get(0).id());

      BenchmarkSpec spec = Matrices.parse(WorkerKillTest.MATRIX.formatted("stale"), artifacts);
      String id = client.submit(spec, settings).benchmarkId();
      String runId = RunIds.ofCell(spec.cells().get(0).id());
      Path runDir = new ArtifactsLayout(artifacts).run(runId);
      WorkerProcess paused = WorkerProcess.start("127.0.0.1:" + link.port(), pg, artifacts, logs.resolve("paused.log"));
      Process worker = paused.process;
      try {
        paused.awaitCheckpointAtOrAfter(ArtifactsLayout.lastCheckpoint(runDir), 2, 5);
        signal(worker, "STOP");
        link.cut();

        try (WorkerHost replacement = WorkerHost.start(connection.client(), Set.of(TaskQueues.GPU), store, artifacts,
            "replacement")) {
          BenchmarkSummary summary = client.await(id, Duration.ofSeconds(1), ProgressListener.NONE);
          assertEquals(RunPhase.SUCCEEDED, summary.status(), summary.toString());
        }
        String before = state(store, runId, runDir);

        signal(worker, "CONT");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!paused.log().contains("was superseded") && state(store, runId, runDir).equals(before)) {
          assertTrue(System.nanoTime() < deadline,
              () -> "the resumed attempt neither stopped nor wrote: " + paused.log());
          Thread.sleep(100);
        }
        Thread.sleep(1000); // anything it would write right after
        assertEquals(before, state(store, runId, runDir), "the stale attempt wrote nothing: " + paused.log());
        assertTrue(paused.log().contains("attempt 1 of " + runId + "/"), paused.log());
        assertTrue(worker.isAlive(), "the worker process itself carries on; only its stale attempt stopped");
      } finally {
        worker.destroyForcibly();
        worker.waitFor();
      }

      Run run = store.runs().find(runId).orElseThrow();
      assertEquals(RunStatus.SUCCEEDED, run.status());
      assertEquals(2, run.attempts(), "one attempt on the paused worker, one on the replacement");
      assertEquals("replacement", run.worker());
      List<EpochMetric> epochs = store.epochMetrics().forRun(runId);
      assertEquals(List.of(0, 1, 2, 3, 4, 5), epochs.stream().map(EpochMetric::epoch).toList(), "one row per epoch");
      assertEquals(figures(store.epochMetrics().forRun(refRun)), figures(epochs),
          "the figures of an uninterrupted run");
      assertEquals(store.results().forRun(refRun).get(0).recalls(), store.results().forRun(runId).get(0).recalls());
    }
  }

  /** Everything of the run the stale attempt could write: its row, its epoch rows, its events, its checkpoint files. */
  private String state(MetricsStore store, String runId, Path runDir) throws IOException {
    StringBuilder s = new StringBuilder(store.runs().find(runId).orElseThrow().toString()).append('\n');
    store.epochMetrics().forRun(runId).forEach(m -> s.append(m).append('\n'));
    s.append(store.runEvents().forRun(runId).size()).append(" events\n");
    try (var files = Files.list(runDir)) {
      for (Path f : files.sorted().toList()) {
        s.append(f.getFileName()).append(' ').append(Files.isRegularFile(f) ? Sha256.ofFile(f) : "dir").append('\n');
      }
    }
    return s.toString();
  }

  private static void signal(Process process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + signal);
  }

  private static List<String> figures(List<EpochMetric> epochs) {
    return epochs.stream().map(m -> m.epoch() + " " + m.trainLoss() + " " + m.validation() + " " + m.learningRate())
        .toList();
  }

  /** A TCP link to the Temporal server that the test can cut for good: the worker behind it loses Temporal. */
  static final class Link implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    Link(int target) throws IOException {
      this.target = target;
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread accept = new Thread(this::accept, "link-accept");
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
          sockets.add(client);
          sockets.add(upstream);
          pipe(client, upstream);
          pipe(upstream, client);
        } catch (IOException e) {
          // cut, or the server went away
        }
      }
    }

    private static void pipe(Socket from, Socket to) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[1 << 14];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          for (int n; (n = in.read(buffer)) >= 0;) {
            out.write(buffer, 0, n);
            out.flush();
          }
        } catch (IOException e) {
          // either side closed
        }
      }, "link-pipe");
      t.setDaemon(true);
      t.start();
    }

    /** Closes every connection and refuses new ones. */
    void cut() throws IOException {
      server.close();
      List<Socket> open = new ArrayList<>(sockets);
      for (Socket s : open) {
        s.close();
      }
    }

    @Override
    public void close() throws IOException {
      cut();
    }
  }
}
