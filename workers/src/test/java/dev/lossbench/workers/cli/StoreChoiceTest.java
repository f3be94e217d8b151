package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.workers.stack.LossbenchHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which store a command uses is said, never guessed: read commands name the store they read and do not create an
 * empty one; banners mask the external URL (a database lost after connecting: {@code console/UserMistakesTest}).
 */
class StoreChoiceTest {
  @TempDir
  Path dir;

  @Test
  void aReadCommandOnAHomeWithNoStoreSaysSoAndCreatesNone() {
    Path home = dir.resolve("empty-home");
    for (String command : List.of("status", "leaderboard")) {
      CommandRun r = CommandRun.of(command, "--home", home.toString());
      assertEquals(2, r.exitCode(), r.out() + r.err());
      assertEquals("lossbench " + command + ": no store under " + home + ": set LOSSBENCH_DB_URL or --home",
          r.err().strip());
      assertFalse(Files.exists(home.resolve("postgres")), "no new embedded store");
    }
  }

  @Test
  void aReadCommandSaysWhichStoreItRead() {
    LossbenchHome home = new LossbenchHome(dir.resolve("home"));
    MetricsStore.open(Database.embedded(home.postgres())).close();
    CommandRun r = CommandRun.of("status", "--home", home.root().toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertEquals("lossbench status: read PostgreSQL under " + home.postgres(), r.err().strip());
  }

  @Test
  void theStoreLabelMasksAnExternalUrl() {
    LossbenchHome home = new LossbenchHome(dir);
    assertEquals("PostgreSQL under " + dir.resolve("postgres"), home.storeLabel(null));
    String label = home.storeLabel("jdbc:postgresql://db.example.org:5432/lossbench?password=Se3cretXY");
    assertTrue(label.startsWith("PostgreSQL at jdbc:postgresql://db.example.org:5432/lossbench"), label);
    assertFalse(label.contains("Se3cretXY"), label);
  }

  @Test
  void theHeartbeatTimeoutIsAnOptionWithAFloor() {
    CommandRun r = CommandRun.of("run", Path.of("../matrices/quick.yaml").toAbsolutePath().normalize().toString(),
        "--heartbeat-timeout", "5", "--home", dir.toString());
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertEquals(
        "lossbench run: --heartbeat-timeout: 5 s is too short: expected at least 10 s (workers heartbeat every 3 s)",
        r.err().strip());
  }
}
