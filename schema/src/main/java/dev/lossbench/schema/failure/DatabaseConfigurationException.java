package dev.lossbench.schema.failure;

/** A setting that tells lossbench where its database is (an environment variable) has an unusable value. */
public final class DatabaseConfigurationException extends MetricsStoreException {
  private static final long serialVersionUID = 1L;

  public DatabaseConfigurationException(String message) {
    super(message);
  }
}
