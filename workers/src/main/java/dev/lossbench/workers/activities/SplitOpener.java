package dev.lossbench.workers.activities;

import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.workflows.matrix.DatasetSpec;
import java.nio.file.Path;

/**
 * How the training and evaluation activities open a split of a prepared dataset: with the loader
 * of its kind ({@link #STANDARD}); tests pass their own (e.g. a deliberately slow dataset).
 */
@FunctionalInterface
public interface SplitOpener {
  SplitOpener STANDARD = DatasetOpener::open;

  /** {@code split} of the dataset {@code spec} prepared in {@code directory}, read as {@code model} needs. */
  RetrievalDataset open(DatasetSpec spec, Path directory, DatasetSplit split, ModelSpec model);
}
