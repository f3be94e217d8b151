package dev.lossbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lossbench.schema.embedded.EmbeddedPostgresException;
import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import dev.lossbench.schema.repository.BenchmarkDefinition;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persistent embedded server lossbench runs when no LOSSBENCH_DB_URL is set. Each test starts its own. */
class EmbeddedPostgresServerTest {
    @TempDir
    Path home;

    @Test
    void figuresSurviveARestartOnTheSamePort() throws SQLException {
        int port;
        // no LOSSBENCH_DB_URL: the embedded server, with its files exactly where the caller says
        try (MetricsStore store = MetricsStore.open(Database.fromEnvironment(Map.of(), home))) {
            port = store.database().embeddedServer().orElseThrow().port();
            store.benchmarks().register(new BenchmarkDefinition("quick-1", "quick",
                    JsonNodeFactory.instance.objectNode().put("seeds", 3), "h1", null));
        }
        assertEquals(OptionalInt.of(port), EmbeddedPostgresServer.recordedPort(home));

        try (MetricsStore again = MetricsStore.open(Database.embedded(home))) {
            assertEquals(port, again.database().embeddedServer().orElseThrow().port());
            assertEquals("quick", again.benchmarks().find("quick-1").orElseThrow().name());
            assertEquals("on", setting(again, "fsync"), "durable: zonky's test default turns fsync off");
            assertEquals("on", setting(again, "synchronous_commit"));
        }
    }

    @Test
    void aDataDirectoryInUseIsRefusedClearly() {
        try (Database first = Database.embedded(home)) {
            EmbeddedPostgresException refused = assertThrows(EmbeddedPostgresException.class, () -> Database.embedded(home));
            assertEquals("the embedded PostgreSQL data directory " + home.resolve("data") + " is in use by this process;"
                    + " stop the other lossbench (or `lossbench server`) first, or point lossbench at it with LOSSBENCH_DB_URL",
                    refused.getMessage());
            assertTrue(first.embeddedServer().isPresent());
        }
    }

    @Test
    void theServerCommandCanChooseThePort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        try (Database database = Database.embedded(home, port)) {
            assertEquals(port, database.embeddedServer().orElseThrow().port());
            assertEquals("embedded PostgreSQL on localhost:" + port + " with data in " + home.toAbsolutePath(),
                    database.description());
        }
        assertEquals(OptionalInt.of(port), EmbeddedPostgresServer.recordedPort(home));
    }

    @Test
    void aPortTakenByAnotherProgramIsRefusedForTheServerCommand() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            EmbeddedPostgresException refused = assertThrows(EmbeddedPostgresException.class,
                    () -> Database.embedded(home, taken.getLocalPort()));
            assertEquals("cannot start embedded PostgreSQL on port " + taken.getLocalPort()
                    + ": the port is in use by another program", refused.getMessage());
        }
    }

    @Test
    void dataFromAnotherPostgresqlMajorVersionIsRefusedClearly() throws Exception {
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data").resolve("PG_VERSION"), "16\n");

        EmbeddedPostgresException refused = assertThrows(EmbeddedPostgresException.class, () -> Database.embedded(home));

        String major = EmbeddedPostgresServer.postgresVersion().split("\\.")[0];
        assertEquals("the embedded PostgreSQL data in " + home.resolve("data") + " was written by PostgreSQL 16, but this"
                + " lossbench runs PostgreSQL " + major + "; move its figures over with pg_dumpall (PostgreSQL 16) and"
                + " psql, or run lossbench with another home (--home or LOSSBENCH_HOME)", refused.getMessage());
    }

    private static String setting(MetricsStore store, String name) throws SQLException {
        try (Connection c = store.database().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW " + name)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
