package dev.lossbench.workers.stack;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.schema.embedded.FreePorts;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's in-process server (from temporal-testing), bound to a port so that worker processes can connect to it
 * over gRPC. It keeps everything in memory: workflows do not survive the process, which is why the metrics store,
 * not Temporal, is the record of benchmarks.
 *
 * <p>It has no authentication: whoever reaches the port can start, query and terminate benchmarks and register as a
 * worker (and so receive activities run with the store's credentials). It listens on 127.0.0.1 unless the caller
 * names another address ({@code lossbench server --listen}). {@code TestServer.createPortBoundServer} binds every
 * interface, so the same services are bound here with Netty on the chosen address.
 */
public final class TemporalServer implements AutoCloseable {
  public static final String LOOPBACK = "127.0.0.1";
  /**
   * The SDK's clients ping every 30 s, idle or not; gRPC's default policy (one ping per 5 min, only during calls)
   * answers that with GOAWAY {@code too_many_pings} and a warning on every worker. Allow a ping every 10 s.
   */
  static final long PERMIT_KEEP_ALIVE_SECONDS = 10;

  private final TestServicesStarter services;
  private final Server server;
  private final String host;
  private final int port;

  private TemporalServer(TestServicesStarter services, Server server, String host, int port) {
    this.services = services;
    this.server = server;
    this.host = host;
    this.port = port;
  }

  /** Starts on 127.0.0.1:{@code port}, or on a free port when it is 0. Time runs in real time (no skipping). */
  public static TemporalServer start(int port) {
    return start(LOOPBACK, port);
  }

  /**
   * Starts on {@code host}:{@code port} ({@code 0.0.0.0} for every interface), or on a free port when it is 0.
   *
   * @throws InvalidInputException when {@code host} is not an address of this machine or the port is taken
   */
  public static TemporalServer start(String host, int port) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (IOException e) {
      throw new InvalidInputException(
          "--listen: '" + host + "' is not an address (expected e.g. 127.0.0.1 or 0.0.0.0)");
    }
    int p = port == 0 ? FreePorts.on(address, "the Temporal server") : port;
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder = NettyServerBuilder
        .forAddress(new InetSocketAddress(address, p), InsecureServerCredentials.create())
        .permitKeepAliveTime(PERMIT_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      return new TemporalServer(services, builder.build().start(), address.getHostAddress(), p);
    } catch (IOException e) {
      services.close();
      throw new InvalidInputException(
          "Temporal cannot listen on " + address.getHostAddress() + ":" + p + " (" + e.getMessage()
              + "): is the port in use, and is the address one of this machine's?");
    }
  }

  public int port() {
    return port;
  }

  /** The address it listens on, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}. */
  public String host() {
    return host;
  }

  /** Where clients on this machine connect: loopback when it listens on every interface. */
  public String target() {
    return (address().isAnyLocalAddress() ? LOOPBACK : host) + ":" + port;
  }

  /** Whether only this machine can reach it. */
  public boolean isLoopback() {
    return address().isLoopbackAddress();
  }

  private InetAddress address() {
    try {
      return InetAddress.getByName(host);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
