package dev.lossbench.schema;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.schema.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The reader-role recipe of {@code k8s/README.md} with the recommended owner role (a login without superuser or
 * CREATEROLE, owning the lossbench database): an administrator creates {@code lossbench_reader} and the Grafana login;
 * lossbench's start grants the views — or, when it started before the role existed, its owner grants them. Grafana
 * then reads every view and no table.
 */
class ReaderRecipeTest {
  static final String[] VIEWS = {"leaderboard", "convergence", "loss_delta", "run_status", "run_progress",
      "benchmark_list"};

  @Test
  void theRecipeWorksWithAnOwnerThatCannotCreateRoles() throws SQLException {
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary()) {
      exec(pg.dataSource(), "CREATE ROLE lb_owner LOGIN PASSWORD 'owner-pw' NOSUPERUSER NOCREATEROLE NOCREATEDB",
          "CREATE DATABASE lb_late OWNER lb_owner", "CREATE DATABASE lb_early OWNER lb_owner");

      // lossbench started before the role existed: its migration cannot create it (no CREATEROLE) and carries on
      MetricsStore.open(Database.external(pg.jdbcUrl("lb_late"), "lb_owner", "owner-pw")).close();

      // the administrator's part of the recipe
      exec(pg.dataSource(), "CREATE ROLE lossbench_reader NOLOGIN", "CREATE ROLE grafana LOGIN PASSWORD 'grafana-pw'",
          "GRANT lossbench_reader TO grafana");
      // the owner's grants for a database migrated before the role existed
      Database late = Database.external(pg.jdbcUrl("lb_late"), "lb_owner", "owner-pw");
      exec(late.dataSource(), "GRANT USAGE ON SCHEMA public TO lossbench_reader",
          "GRANT SELECT ON " + String.join(", ", VIEWS) + " TO lossbench_reader");
      // a database lossbench starts on after the role exists: its migration grants the views itself
      MetricsStore.open(Database.external(pg.jdbcUrl("lb_early"), "lb_owner", "owner-pw")).close();

      for (String db : new String[]{"lb_late", "lb_early"}) {
        DataSource grafana = Database.external(pg.jdbcUrl(db), "grafana", "grafana-pw").dataSource();
        for (String view : VIEWS) {
          exec(grafana, "SELECT count(*) FROM " + view);
        }
        SQLException refused = assertThrows(SQLException.class, () -> exec(grafana, "SELECT count(*) FROM run"));
        assertEquals("42501", refused.getSQLState(), db + ": the tables stay closed: " + refused.getMessage());
      }
    }
  }

  private static void exec(DataSource ds, String... statements) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }
}
