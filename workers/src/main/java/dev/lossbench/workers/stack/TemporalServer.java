package dev.lossbench.workers.stack;

import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Temporal's in-process server (from temporal-testing), bound to a local port so that worker
 * processes can connect to it over gRPC. It keeps everything in memory: workflows do not survive
 * the process, which is why the metrics store, not Temporal, is the record of benchmarks.
 */
public final class TemporalServer implements AutoCloseable {
  private final TestServer.PortBoundTestServer server;
  private final int port;

  private TemporalServer(TestServer.PortBoundTestServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts on {@code port}, or on a free port when it is 0. Time runs in real time (no skipping). */
  public static TemporalServer start(int port) {
    int p = port == 0 ? freePort() : port;
    return new TemporalServer(TestServer.createPortBoundServer(p, true), p);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free local port for the Temporal server", e);
    }
  }

  public int port() {
    return port;
  }

  public String target() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.close();
  }
}
