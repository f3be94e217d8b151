package dev.lossbench.workflows.activities;

import java.util.List;

/**
 * The variants of one dataset × model group that a look of sequential seeds decides.
 *
 * @param dataset {@link dev.lossbench.workflows.matrix.DatasetSpec#id()}
 * @param model the model's label
 * @param variants the loss variants' labels (not the baseline's)
 */
public record LookGroup(String dataset, String model, List<String> variants) {
  public LookGroup {
    variants = List.copyOf(variants);
  }
}
