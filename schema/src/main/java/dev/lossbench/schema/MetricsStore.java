package dev.lossbench.schema;

import dev.lossbench.schema.repository.BenchmarkRepository;
import dev.lossbench.schema.repository.ComparisonRepository;
import dev.lossbench.schema.repository.DatasetRepository;
import dev.lossbench.schema.repository.EpochMetricRepository;
import dev.lossbench.schema.repository.ReportRepository;
import dev.lossbench.schema.repository.ResultRepository;
import dev.lossbench.schema.repository.RunAttempts;
import dev.lossbench.schema.repository.RunEventRepository;
import dev.lossbench.schema.repository.RunRepository;
import dev.lossbench.schema.repository.TrainingAttemptRepository;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics store: a migrated database and the repositories that read and write it. This is what the other
 * modules hold; everything that speaks SQL sits behind it.
 *
 * <pre>{@code
 * // LOSSBENCH_DB_URL, or the embedded server with its files in postgresDirectory (lossbench: <home>/postgres)
 * try (MetricsStore store = MetricsStore.open(Database.fromEnvironment(postgresDirectory))) {
 *     store.runAttempts().claim(runId, workerName, claim);
 *     store.epochMetrics().upsert(metric, claim);
 * }
 * }</pre>
 *
 * Thread-safe; open one per process and share it. Each call takes its own connection from the data source.
 */
public final class MetricsStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsStore.class);

  private final Database database;
  private final String schemaVersion;
  private final BenchmarkRepository benchmarks;
  private final DatasetRepository datasets;
  private final RunRepository runs;
  private final RunAttempts runAttempts;
  private final EpochMetricRepository epochMetrics;
  private final ResultRepository results;
  private final RunEventRepository runEvents;
  private final TrainingAttemptRepository attempts;
  private final ReportRepository reports;
  private final ComparisonRepository comparisons;

  private MetricsStore(Database database, String schemaVersion) {
    this.database = database;
    this.schemaVersion = schemaVersion;
    Jdbi jdbi = Jdbi.create(database.dataSource()).installPlugin(new PostgresPlugin());
    this.benchmarks = new BenchmarkRepository(jdbi);
    this.datasets = new DatasetRepository(jdbi);
    this.runs = new RunRepository(jdbi);
    this.runAttempts = new RunAttempts(jdbi);
    this.epochMetrics = new EpochMetricRepository(jdbi);
    this.results = new ResultRepository(jdbi);
    this.runEvents = new RunEventRepository(jdbi);
    this.reports = new ReportRepository(jdbi);
    this.attempts = new TrainingAttemptRepository(jdbi);
    this.comparisons = new ComparisonRepository(jdbi);
  }

  /**
   * Migrates {@code database} to this code's schema and opens the store on it. The store owns the database from
   * here on: closing the store closes it, and so does a failed migration.
   *
   * @throws SchemaTooNewException when a newer lossbench has migrated the database further
   */
  public static MetricsStore open(Database database) {
    Objects.requireNonNull(database, "database");
    try {
      PostgresVersion.check(database.dataSource(), database.description());
      SchemaMigration.Outcome outcome = new SchemaMigration(database.dataSource()).migrate();
      log.info("metrics store: {}, schema version {} ({} migration(s) applied now)",
          database.description(), outcome.schemaVersion(), outcome.migrationsExecuted());
      return new MetricsStore(database, outcome.schemaVersion());
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  public BenchmarkRepository benchmarks() {
    return benchmarks;
  }

  public DatasetRepository datasets() {
    return datasets;
  }

  public RunRepository runs() {
    return runs;
  }

  /**
   * The attempts on each run: which one holds it (training and evaluation claims, the fence of every figure an
   * attempt writes) and what the latest records on the run (checkpoint, device).
   */
  public RunAttempts runAttempts() {
    return runAttempts;
  }

  public EpochMetricRepository epochMetrics() {
    return epochMetrics;
  }

  public ResultRepository results() {
    return results;
  }

  public RunEventRepository runEvents() {
    return runEvents;
  }

  /** The views: leaderboard, convergence, loss_delta and run_status. */
  /** Training attempts: the epochs and seconds each trained (compute accounting). */
  public TrainingAttemptRepository attempts() {
    return attempts;
  }

  public ReportRepository reports() {
    return reports;
  }

  /** The comparison engine's verdicts (table comparison, view comparisons) and the figures it reads. */
  public ComparisonRepository comparisons() {
    return comparisons;
  }

  public Database database() {
    return database;
  }

  /** The schema version the database was at after migrating, e.g. {@code 2}. */
  public String schemaVersion() {
    return schemaVersion;
  }

  @Override
  public void close() {
    database.close();
  }
}
