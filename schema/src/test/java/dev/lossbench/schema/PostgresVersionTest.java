package dev.lossbench.schema;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.failure.DatabaseConfigurationException;
import org.junit.jupiter.api.Test;

/** The minimum PostgreSQL version, checked at connect: the embedded server passes, an older server is one line. */
class PostgresVersionTest {
  @Test
  void theEmbeddedServersRealVersionPasses() {
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary()) {
      int number = PostgresVersion.check(pg.dataSource(), "the embedded server");
      int major = Integer.parseInt(EmbeddedPostgresServer.postgresVersion().split("\\.")[0]);
      assertEquals(major, number / 10000, "server_version_num agrees with the embedded binaries' version");
      assertTrue(major >= PostgresVersion.MINIMUM_MAJOR);
    }
  }

  @Test
  void anOlderServerIsRefusedWithOneLine() {
    DatabaseConfigurationException e = assertThrows(DatabaseConfigurationException.class,
        () -> PostgresVersion.require(140011, "PostgreSQL at jdbc:postgresql://db:5432/lossbench as user lossbench"));
    assertEquals("PostgreSQL at jdbc:postgresql://db:5432/lossbench as user lossbench runs PostgreSQL 14.11:"
        + " lossbench needs PostgreSQL 15 or newer", e.getMessage());
    PostgresVersion.require(150000, "a 15.0 server");
    PostgresVersion.require(170005, "a 17.5 server");
  }
}
