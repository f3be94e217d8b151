package dev.lossbench.schema.embedded;

/**
 * The embedded PostgreSQL's data directory is held by another lossbench (or this process): a caller may wait for it
 * to be released, where the other holder is known to be brief.
 */
public final class DataDirectoryInUseException extends EmbeddedPostgresException {
  private static final long serialVersionUID = 1L;

  public DataDirectoryInUseException(String message) {
    super(message);
  }
}
