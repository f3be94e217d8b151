package dev.lossbench.schema.failure;

/**
 * PostgreSQL could not be reached or refused the login. The message names the URL and the user, never the
 * password.
 */
public final class DatabaseConnectionException extends MetricsStoreException {
  private static final long serialVersionUID = 1L;

  public DatabaseConnectionException(String message) {
    super(message);
  }

  public DatabaseConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
