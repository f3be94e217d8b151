package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.PrecompDataset;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.data.SyntheticConfig;
import dev.lossbench.retrieval.data.SyntheticScenes;
import dev.lossbench.retrieval.eval.Embeddings;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model trained on the source domain transfers in part to a shifted one: the shift is a related domain. */
class SyntheticTransferTest {
  static final int DEV = 100;

  static RetrievalDataset dev(Path dir, SyntheticConfig c) {
    new SyntheticScenes(c).generate(dir);
    return PrecompDataset.open(dir, DatasetSplit.DEV);
  }

  @Test
  void aSourceModelBeatsChanceOnAHalfShiftedDomainAndNotOnAFullyShiftedOne(@TempDir Path tmp) {
    SyntheticConfig source = SyntheticConfig.defaults().withImages(300, DEV, 10);
    new SyntheticScenes(source).generate(tmp.resolve("d0"));
    RetrievalDataset train = PrecompDataset.open(tmp.resolve("d0"), DatasetSplit.TRAIN);
    RetrievalDataset dev0 = PrecompDataset.open(tmp.resolve("d0"), DatasetSplit.DEV);
    RetrievalDataset half = dev(tmp.resolve("d1"), source.withDomain(1, 0.5));
    RetrievalDataset full = dev(tmp.resolve("d2"), source.withDomain(1, 1.0));
    TrainingLoop loop = new TrainingLoop(train, dev0, ModelSpec.parse("vse-mean:embed_dim=64,word_dim=32"),
        LossSpec.parse("infonce"), TrainingConfig.fromMap(Map.of("epochs", 6, "batch_size", 64, "lr", 2e-3)), 1);
    TrainingResult r = loop.run(tmp.resolve("run"), TrainingListener.NONE);
    double chance = SyntheticFixture.chanceRsum(DEV);
    try (NDManager m = NDManager.newBaseManager(); TrainedModel model = ModelAssembly.restore(r.bestCheckpoint(), m)) {
      double onSource = Embeddings.recall(model.model(), dev0, model.tokenizer(), m, 1).rsum();
      double onHalf = Embeddings.recall(model.model(), half, model.tokenizer(), m, 1).rsum();
      double onFull = Embeddings.recall(model.model(), full, model.tokenizer(), m, 1).rsum();
      System.out.printf("transfer: rSum source %.1f, half-shifted %.1f, fully shifted %.1f (chance %.1f)%n",
          onSource, onHalf, onFull, chance);
      assertTrue(onHalf > 3 * chance, "half-shifted " + onHalf);
      assertTrue(onHalf < onSource, "half-shifted " + onHalf + " vs source " + onSource);
      assertTrue(onFull < onHalf, "fully shifted " + onFull + " vs half " + onHalf);
    }
  }
}
