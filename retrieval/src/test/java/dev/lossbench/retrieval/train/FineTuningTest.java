package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.eval.Embeddings;
import dev.lossbench.retrieval.io.Sha256;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fine-tuning run starts from its parent's checkpoint: weights, vocabulary; frozen parts stay put. */
class FineTuningTest {
  static final ModelSpec MODEL = ModelSpec.parse("vse-mean:embed_dim=32,word_dim=16");
  static final TrainingConfig CONFIG = TrainingConfig.fromMap(Map.of("epochs", 2, "batch_size", 32, "lr", 2e-3));

  @TempDir
  static Path data;
  @TempDir
  static Path parentDir;
  static SyntheticFixture fixture;
  static Path parent;

  @BeforeAll
  static void trainParent() {
    fixture = new SyntheticFixture(data, 120, 40);
    TrainingResult r = new TrainingLoop(fixture.train, fixture.dev, MODEL, LossSpec.parse("infonce"), CONFIG, 1)
        .run(parentDir, TrainingListener.NONE);
    parent = r.bestCheckpoint();
  }

  static TrainingLoop child(TrainingConfig config) {
    return new TrainingLoop(fixture.train, fixture.dev, MODEL, LossSpec.parse("unified"), config, 2);
  }

  /** An init file's SHA-256 recorded when the matrix was read is the one the identity would compute. */
  @Test
  void aRecordedDigestMakesTheSameIdentity() throws Exception {
    assertEquals(child(CONFIG).startingFrom(parent, List.of()).identity(),
        child(CONFIG).startingFrom(parent, Sha256.ofFile(parent), List.of()).identity());
  }

  @Test
  void itsFirstEpochDiffersFromAColdStartAndEqualsTheLoadedCheckpoint(@TempDir Path cold, @TempDir Path warm,
      @TempDir Path still) {
    TrainingResult c = child(CONFIG).run(cold, TrainingListener.NONE);
    TrainingResult w = child(CONFIG).startingFrom(parent, List.of()).run(warm, TrainingListener.NONE);
    assertNotEquals(c.history().get(0).validation().rsum(), w.history().get(0).validation().rsum());
    assertNotEquals(c.history().get(0).trainLoss(), w.history().get(0).trainLoss());
    assertTrue(w.history().get(0).validation().rsum() > c.history().get(0).validation().rsum(),
        "warm " + w.history().get(0).validation().rsum() + " vs cold " + c.history().get(0).validation().rsum());
    assertNotEquals(child(CONFIG).identity(), child(CONFIG).startingFrom(parent, List.of()).identity());

    // with a step too small to move a float32 weight, the first validation is the parent checkpoint's own
    TrainingConfig frozenInTime = CONFIG.with(Map.of("lr", 1e-12, "epochs", 1));
    TrainingResult s = child(frozenInTime).startingFrom(parent, List.of()).run(still, TrainingListener.NONE);
    try (NDManager m = NDManager.newBaseManager(); TrainedModel loaded = ModelAssembly.restore(parent, m)) {
      assertEquals(Embeddings.recall(loaded.model(), fixture.dev, loaded.tokenizer(), m, 1),
          s.history().get(0).validation());
    }
    CheckpointState p = Checkpoint.read(parent);
    CheckpointState after = Checkpoint.read(s.lastCheckpoint());
    assertEquals(p.vocabulary(), after.vocabulary());
    // the parent's weights, moved by at most a step of 1e-12 (a weight near zero can still move)
    p.parameters().forEach((name, v) -> assertArrayEquals(v, after.parameters().get(name), 1e-9f, name));
  }

  @Test
  void frozenPartsKeepTheParentsWeightsAndTheRestTrains(@TempDir Path run) {
    TrainingResult r = child(CONFIG.with(Map.of("epochs", 1))).startingFrom(parent, List.of("text"))
        .run(run, TrainingListener.NONE);
    CheckpointState p = Checkpoint.read(parent);
    CheckpointState after = Checkpoint.read(r.lastCheckpoint());
    int frozen = 0;
    int trained = 0;
    for (String name : p.parameters().keySet()) {
      if (name.startsWith("text")) {
        assertArrayEquals(p.parameters().get(name), after.parameters().get(name), name);
        frozen++;
      } else if (!java.util.Arrays.equals(p.parameters().get(name), after.parameters().get(name))) {
        trained++;
      }
    }
    assertTrue(frozen > 0 && trained > 0, frozen + " frozen, " + trained + " trained");
  }

  @Test
  void unknownPrefixesAndMissingCheckpointsAreNamed(@TempDir Path run) {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> child(CONFIG).startingFrom(parent, List.of("txt")).run(run, TrainingListener.NONE));
    assertTrue(e.getMessage().contains("'txt'"), e.getMessage());
    e = assertThrows(InvalidInputException.class,
        () -> child(CONFIG).startingFrom(run.resolve("nope.ckpt"), List.of()).run(run, TrainingListener.NONE));
    assertTrue(e.getMessage().contains("nope.ckpt"), e.getMessage());
  }
}
