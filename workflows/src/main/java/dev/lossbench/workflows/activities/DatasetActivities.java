package dev.lossbench.workflows.activities;

import dev.lossbench.workflows.matrix.DatasetSpec;
import io.temporal.activity.ActivityInterface;

/** Dataset preparation (queue {@code cpu}): content-hashed, skipped when already prepared. */
@ActivityInterface
public interface DatasetActivities {
  PreparedDataset prepare(DatasetSpec dataset);
}
