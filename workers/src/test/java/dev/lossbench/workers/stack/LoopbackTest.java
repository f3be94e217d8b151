package dev.lossbench.workers.stack;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporal's in-process server has no authentication, so it listens on 127.0.0.1 unless asked otherwise: both the
 * server {@code lossbench server} starts and the one of every embedded {@code run} (checked in /proc/net/tcp*).
 */
class LoopbackTest {
  @TempDir
  Path home;

  @Test
  void theTemporalServerListensOnLoopbackOnly() throws Exception {
    try (TemporalServer temporal = TemporalServer.start(0)) {
      assertEquals(Set.of("127.0.0.1"), ListeningSockets.addresses(temporal.port()));
      assertEquals("127.0.0.1:" + temporal.port(), temporal.target());
    }
  }

  @Test
  void anEmbeddedRunsTemporalListensOnLoopbackOnly() throws Exception {
    LossbenchHome h = new LossbenchHome(home);
    try (EmbeddedStack stack = EmbeddedStack.start(h, h.artifacts())) {
      int port = Integer
          .parseInt(stack.connection().target().substring(stack.connection().target().lastIndexOf(':') + 1));
      assertEquals(Set.of("127.0.0.1"), ListeningSockets.addresses(port), "the embedded run's Temporal");
    }
  }

  @Test
  void everyInterfaceOnlyWhenAsked() throws Exception {
    try (TemporalServer temporal = TemporalServer.start("0.0.0.0", 0)) {
      Set<String> bound = ListeningSockets.addresses(temporal.port());
      assertTrue(bound.contains("0.0.0.0") || bound.contains("::"), bound.toString());
      assertFalse(temporal.isLoopback());
      assertEquals("127.0.0.1:" + temporal.port(), temporal.target(), "local clients still connect on loopback");
    }
  }
}
