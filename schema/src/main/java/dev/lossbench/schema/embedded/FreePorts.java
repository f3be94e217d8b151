package dev.lossbench.schema.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free TCP ports, for the servers lossbench runs itself (the embedded PostgreSQL, the in-process Temporal). */
public final class FreePorts {
  private FreePorts() {}

  /**
   * A port no program listens on at {@code address} now, as the operating system picks it.
   *
   * @param server what will listen there, for the message when there is none (e.g. {@code the Temporal server})
   * @throws UncheckedIOException when there is no free port on that address
   */
  public static int on(InetAddress address, String server) {
    try (ServerSocket socket = new ServerSocket(0, 1, address)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + address.getHostAddress() + " for " + server, e);
    }
  }

  /**
   * Whether {@code port} on {@code address} is free. With SO_REUSEADDR, as PostgreSQL itself binds, so that
   * connections of the last run in TIME_WAIT don't count.
   */
  public static boolean isFree(InetAddress address, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(address, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
