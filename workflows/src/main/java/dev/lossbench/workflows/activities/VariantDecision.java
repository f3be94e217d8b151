package dev.lossbench.workflows.activities;

/**
 * The comparison engine's decision on one variant against the baseline at a look of sequential seeds.
 *
 * @param dataset {@link dev.lossbench.workflows.matrix.DatasetSpec#id()}
 * @param model the model's label
 * @param variant the loss variant's label
 * @param outcome {@code better}, {@code worse}, {@code equivalent} or {@code undecided}
 */
public record VariantDecision(String dataset, String model, String variant, String outcome) {
  public static final String UNDECIDED = "undecided";

  public boolean decided() {
    return !UNDECIDED.equals(outcome);
  }
}
