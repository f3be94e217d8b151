package dev.lossbench.workers.activities;

import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.ImagePreprocessing;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.workflows.matrix.DatasetSpec;
import java.nio.file.Path;

/** Opens a split of a prepared dataset with the loader of its kind ({@code DatasetKind.open}). */
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
    ImagePreprocessing preprocessing = null; // only raw images are preprocessed
    if (spec.kind().isRawImages()) {
      preprocessing = model != null ? model.imagePreprocessing() : ImagePreprocessing.CLIP_224;
    }
    return spec.kind().open(directory, split, spec.captionsPerImage(), spec.maxFrames(), preprocessing);
  }
}
