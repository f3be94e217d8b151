package dev.lossbench.workers.report;

import java.util.Comparator;
import java.util.Objects;

/**
 * A dataset × model of a benchmark: the unit the report compares loss variants in (one leaderboard
 * table, one set of curves, one set of bars each), as the paper's tables do.
 */
public record Panel(String datasetId, String model) implements Comparable<Panel> {
  private static final Comparator<Panel> ORDER = Comparator.comparing(Panel::datasetId).thenComparing(Panel::model);

  public Panel {
    Objects.requireNonNull(datasetId, "datasetId");
    Objects.requireNonNull(model, "model");
  }

  /** A stable key for markup attributes and tests: {@code DATASET/MODEL}. */
  public String key() {
    return datasetId + "/" + model;
  }

  /** Dataset, then model. */
  @Override
  public int compareTo(Panel other) {
    return ORDER.compare(this, other);
  }
}
