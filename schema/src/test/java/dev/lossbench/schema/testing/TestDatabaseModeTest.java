package dev.lossbench.schema.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How LOSSBENCH_TEST_DB is read, without starting anything. */
class TestDatabaseModeTest {

  @Test
  void testcontainersWithoutDockerFailsClearly() {
    assumeFalse(System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock")),
        "Docker is present here; this test is about its absence");

    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> TestDatabase.start("testcontainers"));

    assertTrue(refused.getMessage().startsWith("LOSSBENCH_TEST_DB=testcontainers asks for PostgreSQL in Docker, but no"
        + " Docker environment was found"), refused.getMessage());
  }

  @Test
  void anUnknownModeIsNamed() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> TestDatabase.start("h2"));

    assertEquals("LOSSBENCH_TEST_DB must be embedded (the default) or testcontainers, got 'h2'", refused.getMessage());
  }
}
