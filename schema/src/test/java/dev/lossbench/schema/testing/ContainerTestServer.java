package dev.lossbench.schema.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL in a Docker container (Testcontainers), for LOSSBENCH_TEST_DB=testcontainers. Only loaded in that
 * mode, so that modules without Testcontainers on their test classpath never touch these classes.
 */
final class ContainerTestServer implements PostgresServer {
  /** The same major version as the embedded binaries. */
  static final String IMAGE = "postgres:17-alpine";

  private final PostgreSQLContainer<?> container;

  private ContainerTestServer(PostgreSQLContainer<?> container) {
    this.container = container;
  }

  static ContainerTestServer start() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new IllegalStateException(TestDatabase.MODE_VARIABLE + "=" + TestDatabase.TESTCONTAINERS
          + " asks for PostgreSQL in Docker, but no Docker environment was found (is the daemon running"
          + " and DOCKER_HOST set?); unset " + TestDatabase.MODE_VARIABLE + " to use the embedded PostgreSQL");
    }
    PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse(IMAGE));
    container.start();
    return new ContainerTestServer(container);
  }

  @Override
  public String host() {
    return container.getHost();
  }

  @Override
  public int port() {
    return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
  }

  @Override
  public String superuser() {
    return container.getUsername();
  }

  @Override
  public String superuserPassword() {
    return container.getPassword();
  }

  @Override
  public String description() {
    return "PostgreSQL container " + IMAGE + " on " + host() + ":" + port();
  }

  @Override
  public void close() {
    container.stop();
  }
}
