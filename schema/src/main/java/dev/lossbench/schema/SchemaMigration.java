package dev.lossbench.schema;

import dev.lossbench.schema.failure.MetricsStoreException;
import dev.lossbench.schema.failure.SchemaTooNewException;
import dev.lossbench.schema.failure.Secrets;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database to the schema this code knows, with Flyway: versioned migrations for tables, a repeatable
 * one for the views. Refuses a database that a newer lossbench has already migrated further.
 */
public final class SchemaMigration {
  /** Where the migrations of this module live on the classpath. */
  public static final String LOCATION = "classpath:db/migration";

  private final Flyway flyway;

  public SchemaMigration(DataSource dataSource) {
    this(dataSource, List.of(LOCATION));
  }

  /** Other locations are for tests that need extra (for example future) migrations. */
  SchemaMigration(DataSource dataSource, List<String> locations) {
    Objects.requireNonNull(dataSource, "dataSource");
    this.flyway = Flyway.configure()
        .dataSource(withMaskedUrl(dataSource))
        .locations(locations.toArray(String[]::new))
        .failOnMissingLocations(true)
        .cleanDisabled(true)
        .load();
  }

  /*
   * Flyway logs (and puts in its errors) the URL its connection reports, and masks only a plain password=
   * parameter in it: it sees the URL through Secrets.mask instead. Everything else goes to the real objects.
   */
  private static DataSource withMaskedUrl(DataSource dataSource) {
    return proxy(DataSource.class, dataSource,
        (method, result) -> method.getName().equals("getConnection")
            ? proxy(Connection.class, (Connection) result,
                (m, r) -> m.getName().equals("getMetaData")
                    ? proxy(DatabaseMetaData.class, (DatabaseMetaData) r,
                        (mm, rr) -> mm.getName().equals("getURL") ? Secrets.mask((String) rr) : rr)
                    : r)
            : result);
  }

  private static <T> T proxy(Class<T> type, T target, BiFunction<Method, Object, Object> after) {
    InvocationHandler handler = (self, method, args) -> {
      if (method.getName().equals("unwrap") && args != null && args[0] instanceof Class<?> c && c.isInstance(target)) {
        return target;
      }
      try {
        return after.apply(method, method.invoke(target, args));
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler));
  }

  /** What one {@link #migrate()} did. */
  public record Outcome(int migrationsExecuted, String schemaVersion) {}

  /**
   * Applies the pending migrations. Idempotent: on an up-to-date database it executes nothing.
   *
   * @throws SchemaTooNewException when the database holds migrations newer than this code knows
   */
  public Outcome migrate() {
    try {
      refuseNewerSchema(flyway.info());
      MigrateResult result = flyway.migrate();
      return new Outcome(result.migrationsExecuted, currentVersion());
    } catch (FlywayException e) {
      throw new MetricsStoreException("migrating the lossbench schema failed: " + Secrets.mask(e.getMessage()), e);
    }
  }

  /** The newest versioned migration applied to the database, or "none" on an empty database. */
  public String currentVersion() {
    MigrationInfo current = flyway.info().current();
    return current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion();
  }

  private static void refuseNewerSchema(MigrationInfoService info) {
    MigrationInfo[] all = info.all();
    Optional<MigrationVersion> newestUnknown = Arrays.stream(all)
        .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS
            || m.getState() == MigrationState.FUTURE_FAILED)
        .map(MigrationInfo::getVersion)
        .filter(Objects::nonNull)
        .max(Comparator.naturalOrder());
    if (newestUnknown.isEmpty()) {
      return;
    }
    String known = Arrays.stream(all)
        .filter(m -> m.getState().isResolved() && m.getVersion() != null)
        .map(MigrationInfo::getVersion)
        .max(Comparator.naturalOrder())
        .map(MigrationVersion::getVersion)
        .orElse("none");
    throw new SchemaTooNewException(newestUnknown.get().getVersion(), known);
  }
}
