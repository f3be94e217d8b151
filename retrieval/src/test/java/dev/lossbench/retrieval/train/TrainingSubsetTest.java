package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.params.SpecException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train_subset: which images, how many, decided by the seed alone; training on them works. */
class TrainingSubsetTest {
  @TempDir
  static Path data;
  static SyntheticFixture fixture;

  @BeforeAll
  static void generate() {
    fixture = new SyntheticFixture(data, 120, 40);
  }

  @Test
  void theSameSeedChoosesTheSameImagesAndOtherSeedsOthers() {
    int[] a = TrainingSubset.chosenImages(3000, 300, 7);
    assertArrayEquals(a, TrainingSubset.chosenImages(3000, 300, 7));
    assertFalse(Arrays.equals(a, TrainingSubset.chosenImages(3000, 300, 8)));
    assertEquals(300, a.length);
    for (int i = 1; i < a.length; i++) {
      assertTrue(a[i - 1] < a[i], "ascending and distinct");
    }
    assertTrue(a[0] >= 0 && a[a.length - 1] < 3000);
    // spread over the whole range, not a prefix
    assertTrue(a[a.length - 1] > 2500, "last chosen " + a[a.length - 1]);
  }

  @Test
  void aFractionOrACountSaysHowMany() {
    assertEquals(300, TrainingSubset.size(3000, 0.1, "d"));
    assertEquals(3000, TrainingSubset.size(3000, 1.0, "d"));
    assertEquals(1, TrainingSubset.size(3000, 1e-9, "d"));
    assertEquals(300, TrainingSubset.size(3000, 300, "d"));
    assertEquals(3000, TrainingSubset.size(3000, 3000, "d"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> TrainingSubset.size(3000, 3001, "d"));
    assertTrue(e.getMessage().contains("train_subset=3001"), e.getMessage());
  }

  @Test
  void theSubsetHoldsTheChosenImagesWithAllTheirCaptionsAndNoOthers() {
    RetrievalDataset full = fixture.train;
    assertSame(full, TrainingSubset.of(full, 1.0, 3));
    assertSame(full, TrainingSubset.of(full, 120, 3));
    TrainingSubset sub = (TrainingSubset) TrainingSubset.of(full, 30, 3);
    assertEquals(30, sub.images());
    assertEquals(30 * full.captionsPerImage(), sub.captionCount());
    int per = full.regions() * full.dim();
    for (int i = 0; i < sub.images(); i++) {
      int orig = sub.originalImage(i);
      assertEquals(full.captionsOf(orig), sub.captionsOf(i));
      for (int k = 0; k < sub.captionsOf(i); k++) {
        int c = sub.firstCaption(i) + k;
        assertEquals(i, sub.imageOf(c));
        assertEquals(full.caption(full.firstCaption(orig) + k), sub.caption(c));
      }
      float[] a = new float[per];
      float[] b = new float[per];
      assertEquals(full.readImage(orig, a, 0), sub.readImage(i, b, 0));
      assertArrayEquals(a, b);
    }
    assertArrayEquals(subsetImages(sub), subsetImages((TrainingSubset) TrainingSubset.of(full, 0.25, 3)));
  }

  private static int[] subsetImages(TrainingSubset s) {
    int[] out = new int[s.images()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.originalImage(i);
    }
    return out;
  }

  @Test
  void theSettingIsCheckedAndEntersTheIdentityOnlyWhenUsed() {
    assertThrows(SpecException.class, () -> TrainingConfig.fromMap(Map.of("train_subset", 0)));
    assertThrows(SpecException.class, () -> TrainingConfig.fromMap(Map.of("train_subset", "2.5")));
    assertThrows(SpecException.class, () -> TrainingConfig.fromMap(Map.of("train_subset", -1)));
    assertEquals(300.0, TrainingConfig.fromMap(Map.of("train_subset", "300")).trainSubset());
    // a config at the default reads as before the key existed (recorded cells keep their ids)
    assertFalse(TrainingConfig.defaults().canonical().contains("train_subset"));
    assertEquals(TrainingConfig.defaults().canonical(), TrainingConfig.fromMap(Map.of("train_subset", 1)).canonical());
    String c = TrainingConfig.fromMap(Map.of("train_subset", 0.25)).canonical();
    assertTrue(c.contains("train_subset=0.25"), c);
    assertEquals(TrainingConfig.fromMap(Map.of("train_subset", 0.25)),
        TrainingConfig.fromMap(Map.of("train_subset", 0.25)).with(Map.of()));
  }

  @Test
  void trainingOnASubsetUsesOnlyItsPairs(@TempDir Path run) {
    ModelSpec model = ModelSpec.parse("vse-gpo:embed_dim=32,word_dim=16");
    LossSpec loss = LossSpec.parse("infonce");
    TrainingConfig config = TrainingConfig.fromMap(Map.of("epochs", 2, "batch_size", 16, "lr", 1e-3,
        "train_subset", 0.5));
    TrainingLoop loop = new TrainingLoop(fixture.train, fixture.dev, model, loss, config, 5);
    int captions = 60 * fixture.train.captionsPerImage();
    assertEquals(captions / 16, loop.stepsPerEpoch());
    assertTrue(loop.identity().toString().contains("60 images"), loop.identity().toString());
    TrainingResult r = loop.run(run, TrainingListener.NONE);
    assertEquals(2, r.history().size());
    assertTrue(r.history().stream().allMatch(m -> Double.isFinite(m.trainLoss())));
    TrainingLoop full = new TrainingLoop(fixture.train, fixture.dev, model, loss,
        config.with(Map.of("train_subset", 1)), 5);
    assertNotEquals(full.identity(), loop.identity());
    assertEquals(120 * fixture.train.captionsPerImage() / 16, full.stepsPerEpoch());
  }
}
