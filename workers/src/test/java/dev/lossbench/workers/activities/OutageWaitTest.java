package dev.lossbench.workers.activities;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.StoreOutage;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.failure.DatabaseConfigurationException;
import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.AttemptClaim;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outage wait against a real PostgreSQL that is stopped: it beats while it waits, and gives up at its limit. */
class OutageWaitTest {
  @TempDir
  Path home;

  @Test
  void aStoreThatStaysDownFailsTheCallOnceTheLimitHasPassed() {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(home);
    try (MetricsStore store = MetricsStore.open(Database.external(server.jdbcUrl(EmbeddedPostgresServer.DATABASE),
        EmbeddedPostgresServer.SUPERUSER, server.superuserPassword()))) {
      server.close();
      AtomicInteger beats = new AtomicInteger();
      long start = System.nanoTime();
      RuntimeException e = assertThrows(RuntimeException.class, () -> new OutageWait(Duration.ofSeconds(3))
          .call("test", () -> store.runs().find("run-x"), beats::incrementAndGet));
      assertTrue(StoreOutage.isOutage(e), e.toString());
      assertTrue(System.nanoTime() - start >= Duration.ofSeconds(3).toNanos(), "waited the limit");
      assertTrue(beats.get() >= 1, "heartbeats while waiting");
    } finally {
      server.close();
    }
  }

  @Test
  void aRefusalIsNotWaitedFor() {
    try (MetricsStore store = MetricsStore.open(Database.embedded(EmbeddedPostgresServer.startTemporary()))) {
      AtomicInteger beats = new AtomicInteger();
      assertThrows(NotFoundException.class, () -> new OutageWait(Duration.ofMinutes(5))
          .run("test", () -> store.runAttempts().checkClaim("no-such-run", new AttemptClaim("x", 1)),
              beats::incrementAndGet));
      assertEquals(0, beats.get());
    }
  }

  @Test
  void theLimitComesFromTheEnvironment() {
    assertEquals(Duration.ofMinutes(30), OutageWait.fromEnvironment(Map.of()).limit());
    assertEquals(Duration.ofSeconds(90), OutageWait.fromEnvironment(Map.of(OutageWait.VARIABLE, "90")).limit());
    DatabaseConfigurationException bad = assertThrows(DatabaseConfigurationException.class,
        () -> OutageWait.fromEnvironment(Map.of(OutageWait.VARIABLE, "15m")));
    assertEquals(OutageWait.VARIABLE + " must be a whole number of seconds (0 or more), got: 15m", bad.getMessage());
  }
}
