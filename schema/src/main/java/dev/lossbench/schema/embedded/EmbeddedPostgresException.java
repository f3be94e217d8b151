package dev.lossbench.schema.embedded;

import dev.lossbench.schema.failure.MetricsStoreException;

/** The embedded PostgreSQL server could not be started on its data directory. */
public class EmbeddedPostgresException extends MetricsStoreException {
  private static final long serialVersionUID = 1L;

  public EmbeddedPostgresException(String message) {
    super(message);
  }

  public EmbeddedPostgresException(String message, Throwable cause) {
    super(message, cause);
  }
}
