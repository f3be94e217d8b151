package dev.lossbench.workers.console;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;

/** Which failures are the user's to fix: a database lost after connecting is one line and exit 2. */
class UserMistakesTest {
  @Test
  void aDatabaseLostAfterConnectingIsAMistakeToFixNotAnInternalError() {
    EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary();
    try (MetricsStore store = MetricsStore.open(Database.embedded(pg))) {
      pg.close(); // the server goes away between connect and the next statement
      RuntimeException e = assertThrows(RuntimeException.class, () -> store.benchmarks().find("benchmark-x"));
      String line = UserMistakes.message(e);
      assertNotNull(line, "classified as the user's to fix (exit 2), not an internal error: " + e);
      assertTrue(line.startsWith("lost the connection to the metrics store ("), line);
    }
  }
}
