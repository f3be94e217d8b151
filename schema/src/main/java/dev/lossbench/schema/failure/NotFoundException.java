package dev.lossbench.schema.failure;

/** A row that a call refers to (a run, a benchmark, a dataset) does not exist. */
public final class NotFoundException extends MetricsStoreException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final String id;

  public NotFoundException(String kind, String id) {
    super("no " + kind + " with id '" + id + "' in the metrics store");
    this.kind = kind;
    this.id = id;
  }

  /** {@code run}, {@code benchmark} or {@code dataset}. */
  public String kind() {
    return kind;
  }

  public String id() {
    return id;
  }
}
