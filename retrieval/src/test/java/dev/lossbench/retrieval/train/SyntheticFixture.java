package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.PrecompDataset;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.data.SyntheticConfig;
import dev.lossbench.retrieval.data.SyntheticScenes;
import java.nio.file.Path;

/** A small synthetic scenes dataset, generated once per directory and read through the precomp loader. */
final class SyntheticFixture {
  final RetrievalDataset train;
  final RetrievalDataset dev;

  SyntheticFixture(Path dir, int trainImages, int devImages) {
    SyntheticConfig config = SyntheticConfig.defaults().withImages(trainImages, devImages, 100);
    new SyntheticScenes(config).generate(dir);
    this.train = PrecompDataset.open(dir, DatasetSplit.TRAIN);
    this.dev = PrecompDataset.open(dir, DatasetSplit.DEV);
  }

  /** Chance rSum: R@k ≈ 100·k/N in both directions, for N images. */
  static double chanceRsum(int images) {
    return 2 * 100.0 * (1 + 5 + 10) / images;
  }
}
