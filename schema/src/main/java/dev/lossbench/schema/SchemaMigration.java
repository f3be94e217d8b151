package dev.lossbench.schema;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
                .dataSource(dataSource)
                .locations(locations.toArray(String[]::new))
                .failOnMissingLocations(true)
                .cleanDisabled(true)
                .load();
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
            throw new MetricsStoreException("migrating the lossbench schema failed: " + e.getMessage(), e);
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
