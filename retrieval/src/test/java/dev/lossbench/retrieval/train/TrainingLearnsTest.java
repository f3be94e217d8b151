package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each of the paper's three losses trains the quick matrix's model to well above chance. */
class TrainingLearnsTest {
  static final ModelSpec MODEL = ModelSpec.parse("vse-mean:embed_dim=128,word_dim=64");
  static final TrainingConfig CONFIG = TrainingConfig.fromMap(Map.of("epochs", 4, "batch_size", 128, "lr", 1e-3));

  @TempDir
  static Path data;
  static SyntheticFixture fixture;

  @BeforeAll
  static void generate() {
    fixture = new SyntheticFixture(data, 600, 200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"triplet-hn:warmup_epochs=1", "infonce", "unified:gamma=20"})
  void reachesFiveTimesChanceRsum(String loss, @TempDir Path run) {
    long t0 = System.nanoTime();
    TrainingResult r = new TrainingLoop(fixture.train, fixture.dev, MODEL, LossSpec.parse(loss), CONFIG, 1)
        .run(run, TrainingListener.NONE);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double chance = SyntheticFixture.chanceRsum(200);
    EpochMetrics lastEpoch = r.history().get(r.history().size() - 1);
    System.out.printf("%s: rSum by epoch %s (chance %.1f), %.1f s, %.0f samples/s%n", loss,
        r.history().stream().map(m -> String.format("%.1f", m.validation().rsum())).toList(), chance, seconds,
        lastEpoch.samplesPerSecond());
    assertEquals(4, r.history().size());
    assertTrue(r.bestRsum() >= 5 * chance, loss + ": best rSum " + r.bestRsum() + " < 5 × chance " + chance);
    assertTrue(lastEpoch.validation().i2tR1() < 90, "not saturated");
  }
}
