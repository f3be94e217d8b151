package dev.lossbench.schema.testing;

import dev.lossbench.schema.embedded.EmbeddedPostgresServer;

/** The default: a temporary embedded server, the same code lossbench runs in production, data deleted on close. */
final class EmbeddedTestServer implements PostgresServer {
  private final EmbeddedPostgresServer server;

  private EmbeddedTestServer(EmbeddedPostgresServer server) {
    this.server = server;
  }

  static EmbeddedTestServer start() {
    return new EmbeddedTestServer(EmbeddedPostgresServer.startTemporary());
  }

  @Override
  public String host() {
    return "localhost";
  }

  @Override
  public int port() {
    return server.port();
  }

  @Override
  public String superuser() {
    return EmbeddedPostgresServer.SUPERUSER;
  }

  @Override
  public String superuserPassword() {
    return server.superuserPassword();
  }

  @Override
  public String description() {
    return "embedded PostgreSQL " + EmbeddedPostgresServer.postgresVersion() + " on localhost:" + port();
  }

  @Override
  public void close() {
    server.close();
  }
}
