package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.eval.RecallMetrics;
import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Collapse is not a score: a run that stops learning without a NaN ends diverged, with the reason. */
class CollapseTest {
  @TempDir
  static Path data;
  static SyntheticFixture fixture;

  @BeforeAll
  static void generate() {
    fixture = new SyntheticFixture(data, 120, 40);
  }

  /** The run: lr 1e9 ended succeeded at chance rSum with a constant loss. */
  @ParameterizedTest
  @ValueSource(strings = {"infonce", "triplet-hn:warmup_epochs=1"})
  void aLearningRateOfOneBillionEndsDivergedInsteadOfWithAChanceScore(String loss, @TempDir Path run) {
    TrainingConfig config = TrainingConfig
        .fromMap(Map.of("epochs", 6, "batch_size", 32, "lr", 1.0e9, "max_steps_per_epoch", 4));
    List<EpochMetrics> seen = new ArrayList<>();
    TrainingLoop loop = new TrainingLoop(fixture.train, fixture.dev,
        ModelSpec.parse("vse-mean:embed_dim=32,word_dim=16"),
        LossSpec.parse(loss), config, 1);
    DivergedException e = assertThrows(DivergedException.class, () -> loop.run(run, new TrainingListener() {
      @Override
      public void onEpoch(EpochMetrics m) {
        seen.add(m);
      }
    }));
    System.out.println(loss + ": " + e.getMessage() + "; epochs " + seen.stream()
        .map(m -> m.trainLoss() + "/" + m.validation().rsum()).toList());
    assertTrue(e.getMessage().contains("embeddings collapsed") || e.getMessage().contains("no learning"),
        e.getMessage());
    assertTrue(e.getMessage().contains("lower the learning rate"), e.getMessage());
    // the collapsed epoch is not checkpointed as a result to rank
    assertFalse(Files.exists(ArtifactsLayout.bestCheckpoint(run)) && seen.size() > e.epoch() + 1);
  }

  @Test
  void chanceRsumIsKOverNPerDirection() {
    assertEquals(20.0, Collapse.chanceRsum(160), 1e-9); // the 20.0: 2 · 100 · 16 / 160
    assertEquals(3.2, Collapse.chanceRsum(1000), 1e-9);
    // R@K cannot exceed 100%: 8 images, R@10 = 100 in both directions
    assertEquals(2 * (100.0 / 8 + 500.0 / 8 + 100), Collapse.chanceRsum(8), 1e-9);
  }

  @Test
  void constantLossAtChanceForAWindowOfEpochsAfterWarmUpIsNoLearning() {
    double chance = Collapse.chanceRsum(160);
    List<EpochMetrics> h = new ArrayList<>();
    h.add(epoch(0, 3.4657, chance)); // warm-up epoch: not looked at
    h.add(epoch(1, 3.4657359, chance));
    h.add(epoch(2, 3.4657359, chance * 1.2));
    assertNull(Collapse.noLearning(h, 160), "a window needs " + Collapse.WINDOW + " epochs after warm-up");
    h.add(epoch(3, 3.4657360, chance));
    String why = Collapse.noLearning(h, 160);
    assertNotNull(why);
    assertTrue(why.startsWith("no learning: for 3 epochs (1 to 3) validation rSum stayed at chance"), why);
    assertTrue(why.contains("chance is 20.00 for 160 images"), why);

    // a loss that still moves is learning, however slowly
    List<EpochMetrics> slow = List.of(epoch(0, 3.5, chance), epoch(1, 3.46, chance), epoch(2, 3.459, chance),
        epoch(3, 3.458, chance));
    assertNull(Collapse.noLearning(slow, 160));
    // a constant loss above chance is not this rule's business
    List<EpochMetrics> above = List.of(epoch(0, 1, 200), epoch(1, 1, 200), epoch(2, 1, 200), epoch(3, 1, 200));
    assertNull(Collapse.noLearning(above, 160));
  }

  @Test
  void embeddingsCollapseWhenEverySimilarityIsATie() {
    assertNotNull(Collapse.collapsedEmbeddings(0));
    assertNotNull(Collapse.collapsedEmbeddings(1e-7));
    assertNull(Collapse.collapsedEmbeddings(1e-3));
    assertNull(Collapse.collapsedEmbeddings(Double.NaN));
  }

  private static EpochMetrics epoch(int e, double loss, double rsum) {
    RecallMetrics v = new RecallMetrics(rsum / 6, rsum / 6, rsum / 6, rsum / 6, rsum / 6, rsum / 6, rsum, 80, 80, 80,
        80);
    return new EpochMetrics(e, loss, v, 1e9, 0, 1, 1);
  }
}
