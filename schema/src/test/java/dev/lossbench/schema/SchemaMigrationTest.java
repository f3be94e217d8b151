package dev.lossbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.failure.SchemaTooNewException;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.TestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MetricsStoreExtension.class)
class SchemaMigrationTest {
  private static final List<String> TABLES = List.of("benchmark", "benchmark_dataset", "benchmark_run", "comparison",
      "dataset", "epoch_metric",
      "result", "run", "run_event", "training_attempt");
  private static final List<String> VIEWS = List.of("benchmark_compute", "benchmark_list", "comparisons", "convergence",
      "leaderboard", "loss_delta", "run_progress", "run_status", "variant_runs");

  @Test
  void migratesAnEmptyDatabaseToTheTablesAndViews(TestDatabase db) throws SQLException {
    DataSource empty = db.dataSource(db.createDatabase("empty"));
    assertEquals(List.of(), names(empty, "BASE TABLE"));

    SchemaMigration.Outcome outcome = new SchemaMigration(empty).migrate();

    assertEquals(15, outcome.migrationsExecuted(),
        "V1 tables, V2 reader role, V3 dashboard views, V4 dropping them again, V5 run.validation_is_test,"
            + " V6 run.device and run.peak_device_memory_bytes, V7 attempt claims, V8 comparisons, V9 benchmark_run and"
            + " training_attempt, V10 convergence per run, V11 stopped runs, V12 views of stopped runs,"
            + " V13 benchmark_dataset, V14 training_attempt.failure, R every view");
    assertEquals("14", outcome.schemaVersion());
    List<String> tables = names(empty, "BASE TABLE");
    tables.remove("flyway_schema_history");
    assertEquals(TABLES, tables);
    assertEquals(VIEWS, names(empty, "VIEW"));
  }

  @Test
  void migratingTwiceChangesNothing(TestDatabase db) throws SQLException {
    DataSource empty = db.dataSource(db.createDatabase("twice"));
    SchemaMigration migration = new SchemaMigration(empty);
    migration.migrate();
    long historyRows = count(empty, "SELECT count(*) FROM flyway_schema_history");

    SchemaMigration.Outcome second = migration.migrate();

    assertEquals(0, second.migrationsExecuted());
    assertEquals("14", second.schemaVersion());
    assertEquals(historyRows, count(empty, "SELECT count(*) FROM flyway_schema_history"));
  }

  @Test
  void aDatabaseMigratedByANewerLossbenchIsRefused(TestDatabase db) throws SQLException {
    String name = db.createDatabase("newer");
    DataSource newer = db.dataSource(name);
    new SchemaMigration(newer, List.of(SchemaMigration.LOCATION, "classpath:db/future")).migrate();
    long historyRows = count(newer, "SELECT count(*) FROM flyway_schema_history");

    SchemaTooNewException refused = assertThrows(SchemaTooNewException.class,
        () -> new SchemaMigration(newer).migrate());

    assertEquals("database schema version 999 is newer than this lossbench (knows up to 14); upgrade lossbench",
        refused.getMessage());
    assertEquals(historyRows, count(newer, "SELECT count(*) FROM flyway_schema_history"), "nothing was run");
    // the store refuses to open on it, too
    assertThrows(SchemaTooNewException.class, () -> MetricsStore.open(
        Database.external(db.jdbcUrl(name), db.superuser(), db.superuserPassword())));
  }

  @Test
  void migratesWhenTheReaderRoleExistsAlreadyAndGrantsItTheViews(TestDatabase db) throws SQLException {
    // the shared test database's migration has created the role on this server already
    DataSource postgres = db.dataSource("postgres");
    assertEquals(1, count(postgres, "SELECT count(*) FROM pg_roles WHERE rolname = 'lossbench_reader'"));
    DataSource second = db.dataSource(db.createDatabase("second"));

    new SchemaMigration(second).migrate();

    for (String view : VIEWS) {
      assertEquals(1, count(second, "SELECT count(*) WHERE has_table_privilege('lossbench_reader', '"
          + view + "', 'SELECT')"), view);
    }
    for (String table : TABLES) {
      assertEquals(0, count(second, "SELECT count(*) WHERE has_table_privilege('lossbench_reader', '"
          + table + "', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')"), table);
    }
  }

  @Test
  void everyViewIsDefinedInTheRepeatableMigrationOnly() throws Exception {
    Path migrations = Path.of(SchemaMigration.class.getResource("/db/migration").toURI());
    Pattern createView = Pattern.compile("(?i)CREATE\\s+(OR\\s+REPLACE\\s+)?VIEW\\s+(\\w+)");
    List<String> defined = new ArrayList<>();
    try (Stream<Path> files = Files.list(migrations)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        Matcher m = createView.matcher(Files.readString(file));
        while (m.find()) {
          // V3 (released before the views moved) still creates two; V4 drops them again
          if (!name.equals("R__views.sql") && !name.equals("V3__dashboard_views.sql")) {
            throw new AssertionError(name + " defines view " + m.group(2) + "; views live in R__views.sql");
          }
          if (name.equals("R__views.sql")) {
            defined.add(m.group(2));
          }
        }
      }
    }
    defined.sort(null);
    assertEquals(VIEWS, defined);
  }

  @Test
  void theViewsMigrationReappliesOnAStoreThatHasEveryView(TestDatabase db) throws Exception {
    // what Flyway does on an existing store when R__views.sql changes: run it again over the views it made
    DataSource store = db.dataSource(db.createDatabase("reapply"));
    new SchemaMigration(store).migrate();
    String views;
    try (InputStream in = SchemaMigration.class.getResourceAsStream("/db/migration/R__views.sql")) {
      views = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    try (Connection c = store.getConnection(); Statement s = c.createStatement()) {
      s.execute(views);
    }

    assertEquals(VIEWS, names(store, "VIEW"));
    for (String view : VIEWS) {
      assertEquals(1, count(store, "SELECT count(*) WHERE has_table_privilege('lossbench_reader', '"
          + view + "', 'SELECT')"), view);
    }
  }

  private static List<String> names(DataSource dataSource, String tableType) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
            + " WHERE table_schema = current_schema() AND table_type = '" + tableType + "' ORDER BY table_name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  static long count(DataSource dataSource, String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }
}
