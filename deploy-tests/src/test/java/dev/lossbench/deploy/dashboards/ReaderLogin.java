package dev.lossbench.deploy.dashboards;

import dev.lossbench.schema.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Logs in as lossbench_reader, as Grafana does. The role is NOLOGIN after migration; {@link #open} gives it a
 * password for the test and {@link #close} takes the login away again (roles are server-wide).
 */
final class ReaderLogin implements AutoCloseable {
  static final String ROLE = "lossbench_reader";
  private static final String PASSWORD = "dashboard-test-only";

  private final TestDatabase db;

  private ReaderLogin(TestDatabase db) {
    this.db = db;
  }

  static ReaderLogin open(TestDatabase db) {
    db.execute("postgres", "ALTER ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
    return new ReaderLogin(db);
  }

  Connection connect() throws SQLException {
    Connection connection = db.dataSource(TestDatabase.DATABASE, ROLE, PASSWORD).getConnection();
    // what Grafana's datasource does, too: it only ever reads
    connection.setReadOnly(true);
    return connection;
  }

  @Override
  public void close() {
    db.execute("postgres", "ALTER ROLE " + ROLE + " NOLOGIN PASSWORD NULL");
  }
}
