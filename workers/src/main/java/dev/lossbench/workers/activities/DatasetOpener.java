package dev.lossbench.workers.activities;

import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.ImagePreprocessing;
import dev.lossbench.retrieval.data.KarpathyDataset;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.data.MsrvttDataset;
import dev.lossbench.retrieval.data.MsrvttFiles;
import dev.lossbench.retrieval.data.PrecompDataset;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.workflows.matrix.DatasetSpec;
import java.nio.file.Path;

/** Opens a split of a prepared dataset with the loader of its kind. */
final class DatasetOpener {
  private DatasetOpener() {}

  static RetrievalDataset open(DatasetSpec spec, Path directory, DatasetSplit split) {
    return open(spec, directory, split, null);
  }

  /**
   * Raw images are preprocessed as {@code model} (a torchscript model) says; other models, and
   * preparation ({@code model} null), read them with CLIP's defaults.
   */
  static RetrievalDataset open(DatasetSpec spec, Path directory, DatasetSplit split, ModelSpec model) {
    return switch (spec.kind()) {
      case SYNTHETIC, PRECOMP -> PrecompDataset.open(directory, split, spec.captionsPerImage());
      case MSRVTT -> MsrvttDataset.open(MsrvttFiles.standard(directory), split, spec.maxFrames());
      case KARPATHY, SYNTHETIC_IMAGES -> KarpathyDataset.openDirectory(directory, split, spec.captionsPerImage(),
          model != null ? model.imagePreprocessing() : ImagePreprocessing.CLIP_224);
    };
  }
}
