package dev.lossbench.schema;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.failure.DatabaseConfigurationException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store's connection pool: its size, what it shares, and that its failures carry no password. */
class DatabasePoolTest {
  @Test
  void thePoolSizeIsFourUnlessTheEnvironmentSaysOtherwise() {
    assertEquals(4, Database.poolSize(Map.of()));
    assertEquals(12, Database.poolSize(Map.of(Database.POOL_SIZE_VARIABLE, " 12 ")));
    for (String bad : new String[]{"0", "101", "four"}) {
      DatabaseConfigurationException e = assertThrows(DatabaseConfigurationException.class,
          () -> Database.poolSize(Map.of(Database.POOL_SIZE_VARIABLE, bad)));
      assertEquals(Database.POOL_SIZE_VARIABLE + " must be a whole number of connections in 1..100, got: " + bad,
          e.getMessage());
    }
  }

  @Test
  void connectionsAreReusedAndAFailureAfterTheServerStoppedCarriesNoPassword() throws Exception {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.startTemporary();
    String password = server.superuserPassword();
    try (Database db = Database.external(server.jdbcUrl(EmbeddedPostgresServer.DATABASE),
        EmbeddedPostgresServer.SUPERUSER, password)) {
      int first = backend(db);
      assertEquals(first, backend(db), "the second borrower gets the first one's connection back");
      server.close();
      Exception e = assertThrows(Exception.class, () -> backend(db));
      assertTrue(StoreOutage.isOutage(e), e.toString());
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertFalse(String.valueOf(t.getMessage()).contains(password), t.toString());
        assertFalse(t.toString().contains(password), t.toString());
      }
    } finally {
      server.close();
    }
  }

  @Test
  void aConnectionThePoolDroppedAfterTheServerStoppedStillReadsAsAnOutage() throws Exception {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.startTemporary();
    try (Database db = Database.external(server.jdbcUrl(EmbeddedPostgresServer.DATABASE),
        EmbeddedPostgresServer.SUPERUSER, server.superuserPassword());
        Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement()) {
      st.execute("SELECT 1");
      server.close();
      Exception first = assertThrows(Exception.class, () -> st.execute("SELECT 1"));
      assertTrue(StoreOutage.isOutage(first), first.toString());
      // what Flyway, say, gets on its next call on the same connection
      Exception next = assertThrows(Exception.class, () -> c.getMetaData().getURL());
      assertTrue(StoreOutage.isOutage(next), next.toString());
    } finally {
      server.close();
    }
  }

  private static int backend(Database db) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
