package dev.lossbench.workers.activities;

import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.MsrvttDataset;
import dev.lossbench.retrieval.data.MsrvttFiles;
import dev.lossbench.retrieval.data.PrecompDataset;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.workflows.spec.DatasetSpec;
import java.nio.file.Path;

/** Opens a split of a prepared dataset with the loader of its kind. */
final class DatasetOpener {
  private DatasetOpener() {}

  static RetrievalDataset open(DatasetSpec spec, Path directory, DatasetSplit split) {
    return switch (spec.kind()) {
      case SYNTHETIC, PRECOMP -> PrecompDataset.open(directory, split, spec.captionsPerImage());
      case MSRVTT -> MsrvttDataset.open(MsrvttFiles.standard(directory), split, spec.maxFrames());
    };
  }
}
