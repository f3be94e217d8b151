package dev.lossbench.schema.failure;

/**
 * The database was migrated by a newer lossbench than this one. Running on it could misread or damage figures
 * this code does not know about, so the store refuses to start.
 */
public final class SchemaTooNewException extends MetricsStoreException {
  private static final long serialVersionUID = 1L;

  public SchemaTooNewException(String databaseVersion, String knownVersion) {
    super("database schema version " + databaseVersion + " is newer than this lossbench (knows up to "
        + knownVersion + "); upgrade lossbench");
  }
}
