package dev.lossbench.schema.failure;

/**
 * Base of every failure the metrics store reports on purpose, so that callers (Temporal activities) can tell
 * the store's own, explained errors from programming errors.
 */
public class MetricsStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MetricsStoreException(String message) {
    super(message);
  }

  public MetricsStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
