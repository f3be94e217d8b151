package dev.lossbench.retrieval.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.SceneGrammar.Mention;
import dev.lossbench.retrieval.data.SceneGrammar.Scene;
import dev.lossbench.retrieval.data.SceneGrammar.SceneCaption;
import dev.lossbench.retrieval.data.SceneGrammar.SceneObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticScenesTest {
  private static final SyntheticConfig SMALL = SyntheticConfig.defaults().withImages(40, 10, 12);

  @TempDir
  Path tmp;

  @Test
  void writesThePrecompLayoutThatPrecompDatasetReads() {
    Path dir = tmp.resolve("scenes");
    assertTrue(new SyntheticScenes(SMALL).generate(dir));

    PrecompDataset train = PrecompDataset.open(dir, DatasetSplit.TRAIN);
    PrecompDataset dev = PrecompDataset.open(dir, DatasetSplit.DEV);
    PrecompDataset test = PrecompDataset.open(dir, DatasetSplit.TEST);

    assertEquals(List.of(40, 10, 12), List.of(train.images(), dev.images(), test.images()));
    assertEquals(200, train.captionCount());
    assertEquals(8, train.regions());
    assertEquals(128, train.dim());
    // the file holds exactly what the generator computes for that image
    SyntheticScenes gen = new SyntheticScenes(SMALL);
    float[] dst = new float[8 * 128];
    test.readImage(7, dst, 0);
    assertArrayEquals(gen.image(DatasetSplit.TEST, 7).features(), dst);
    assertEquals(gen.image(DatasetSplit.TEST, 7).captions().get(2).text(), test.caption(7 * 5 + 2));
  }

  @Test
  void sameSeedGivesIdenticalBytesAndAnotherSeedDifferentOnes() {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    new SyntheticScenes(SMALL).generate(a);
    new SyntheticScenes(SMALL).generate(b);
    new SyntheticScenes(SMALL.withSeed(2)).generate(c);

    assertEquals(SyntheticScenes.filesHash(a), SyntheticScenes.filesHash(b));
    assertNotEquals(SyntheticScenes.filesHash(a), SyntheticScenes.filesHash(c));
    assertEquals(SMALL.contentHash(), new SyntheticScenes(SMALL).config().contentHash());
    assertNotEquals(SMALL.contentHash(), SMALL.withSeed(2).contentHash());
    assertNotEquals(SMALL.contentHash(), SMALL.withNoise(1.5).contentHash());
  }

  @Test
  void firstTrainingImagesDoNotDependOnTheSplitSizes() {
    SyntheticScenes small = new SyntheticScenes(SMALL);
    SyntheticScenes large = new SyntheticScenes(SMALL.withImages(400, 3, 5));
    for (int i = 0; i < 40; i += 13) {
      assertArrayEquals(small.image(DatasetSplit.TRAIN, i).features(), large.image(DatasetSplit.TRAIN, i).features());
    }
    assertNotEquals(small.image(DatasetSplit.TRAIN, 0).scene(), small.image(DatasetSplit.DEV, 0).scene());
  }

  @Test
  void preparedDirectoryIsReusedAndAnOutdatedOneReplaced() throws Exception {
    Path dir = tmp.resolve("scenes");
    assertTrue(new SyntheticScenes(SMALL).generate(dir));
    String first = SyntheticScenes.filesHash(dir);

    assertTrue(new SyntheticScenes(SMALL).isGenerated(dir));
    assertFalse(new SyntheticScenes(SMALL).generate(dir), "same config: skipped");
    assertEquals(first, SyntheticScenes.filesHash(dir));

    SyntheticConfig other = SMALL.withSeed(9);
    assertFalse(new SyntheticScenes(other).isGenerated(dir));
    assertTrue(new SyntheticScenes(other).generate(dir));
    assertTrue(Files.readString(dir.resolve(SyntheticScenes.MARKER_FILE)).contains(other.contentHash()));
    assertNotEquals(first, SyntheticScenes.filesHash(dir));
    try (var siblings = Files.list(tmp)) {
      assertEquals(List.of(dir), siblings.toList(), "no temp or old directories left behind");
    }
  }

  @Test
  void aDeletedSplitFileMeansNotGenerated() throws Exception {
    Path dir = tmp.resolve("scenes");
    new SyntheticScenes(SMALL).generate(dir);
    Files.delete(dir.resolve("dev_caps.txt"));

    assertFalse(new SyntheticScenes(SMALL).isGenerated(dir));
    assertTrue(new SyntheticScenes(SMALL).generate(dir));
    assertEquals(50, PrecompDataset.open(dir, DatasetSplit.DEV).captionCount());
  }

  @Test
  void refusesToReplaceADirectoryItDidNotWrite() throws Exception {
    Path dir = tmp.resolve("mine");
    Fixtures.text(dir.resolve("thesis.tex"), "precious");

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> new SyntheticScenes(SMALL).generate(dir));

    assertTrue(e.getMessage().startsWith(dir.toAbsolutePath().normalize().toString()), e.getMessage());
    assertEquals("precious", Files.readString(dir.resolve("thesis.tex")));
  }

  @Test
  void withoutNoiseOnlyObjectRegionsCarrySignal() {
    SyntheticScenes gen = new SyntheticScenes(SMALL.withNoise(0));
    for (int i = 0; i < 20; i++) {
      SyntheticScenes.Image im = gen.image(DatasetSplit.TRAIN, i);
      int nonZero = 0;
      for (int r = 0; r < 8; r++) {
        boolean any = false;
        for (int d = 0; d < 128; d++) {
          any |= im.features()[r * 128 + d] != 0f;
        }
        nonZero += any ? 1 : 0;
      }
      assertEquals(im.scene().objects().size(), nonZero, "image " + i);
    }
  }

  @Test
  void scenesAndCaptionsFollowTheConfig() {
    SyntheticScenes gen = new SyntheticScenes(SyntheticConfig.defaults());
    Set<String> words = new HashSet<>();
    int partial = 0;
    int captions = 0;
    for (int i = 0; i < 300; i++) {
      SyntheticScenes.Image im = gen.image(DatasetSplit.TRAIN, i);
      List<SceneObject> objs = im.scene().objects();
      assertTrue(objs.size() >= 1 && objs.size() <= 4);
      assertEquals(objs.size(), objs.stream().map(SceneObject::cell).distinct().count(), "distinct cells");
      assertEquals(5, im.captions().size());
      for (SceneCaption c : im.captions()) {
        assertTrue(consistent(c.mentions(), im.scene()), c.text() + " vs " + im.scene());
        partial += c.mentions().size() < objs.size() ? 1 : 0;
        captions++;
        words.addAll(Tokenizer.tokens(c.text()));
      }
    }
    assertTrue(partial > captions / 10 && partial < captions / 2, partial + " of " + captions + " partial");
    assertTrue(words.containsAll(List.of("crimson", "scarlet", "orb", "ball", "upper", "corner")), words.toString());
  }

  @Test
  void invalidKnobsAreUserErrors() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new SyntheticConfig(10, 10, 10, 1, 4, 8, 8, 3, 3, 3, 128, 1.0, 0.2, 0.15, 0.5, 5, 1));
    assertTrue(e.getMessage().contains("3 regions, 4 objects"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> SyntheticConfig.defaults().withNoise(-1));
    assertThrows(InvalidInputException.class, () -> SyntheticConfig.defaults().withDropRates(1.5, 0));
  }

  /**
   * How hard the default captions are to match even for a perfect reader: a caption that is also
   * true of other test images ties with them. Expected R@1 under random tie-breaking is the
   * ceiling of a model that reads captions perfectly but ignores how likely each image is to be
   * described so briefly (the Bayes ceiling is higher). It must leave room to separate losses
   * without being so low that every model looks the same. Also reports how long the default dataset takes to generate.
   */
  @Test
  void defaultDatasetCalibration() {
    SyntheticConfig config = SyntheticConfig.defaults();
    long t0 = System.nanoTime();
    Path dir = tmp.resolve("default");
    new SyntheticScenes(config).generate(dir);
    double seconds = (System.nanoTime() - t0) / 1e9;

    SyntheticScenes gen = new SyntheticScenes(config);
    List<SyntheticScenes.Image> test = new ArrayList<>();
    for (int i = 0; i < config.testImages(); i++) {
      test.add(gen.image(DatasetSplit.TEST, i));
    }
    double t2i = 0;
    int unique = 0;
    int n = 0;
    for (SyntheticScenes.Image owner : test) {
      for (SceneCaption c : owner.captions()) {
        int matches = 0;
        for (int j = 0; j < test.size(); j++) {
          if (consistent(c.mentions(), test.get(j).scene())) {
            matches++;
          }
        }
        t2i += 1.0 / matches;
        unique += matches == 1 ? 1 : 0;
        n++;
      }
    }
    t2i /= n;
    System.out.printf("synthetic defaults: generated %d+%d+%d images in %.2f s; text-to-image R@1 of a perfect reader "
        + "breaking ties at random %.3f; %.1f%% of captions single out their image%n", config.trainImages(),
        config.devImages(), config.testImages(), seconds, t2i, 100.0 * unique / n);
    assertEquals(config.testImages(), PrecompDataset.open(dir, DatasetSplit.TEST).images());
    assertTrue(t2i > 0.6 && t2i < 0.97, "oracle text-to-image R@1 " + t2i);
    assertTrue(seconds < 30, "generation took " + seconds + " s");
  }

  /** Whether the mentions can be assigned to distinct objects of the scene that they describe. */
  static boolean consistent(List<Mention> mentions, Scene scene) {
    return assign(mentions, 0, scene.objects(), new boolean[scene.objects().size()]);
  }

  private static boolean assign(List<Mention> mentions, int m, List<SceneObject> objects, boolean[] used) {
    if (m == mentions.size()) {
      return true;
    }
    for (int o = 0; o < objects.size(); o++) {
      if (!used[o] && mentions.get(m).describes(objects.get(o))) {
        used[o] = true;
        boolean ok = assign(mentions, m + 1, objects, used);
        used[o] = false;
        if (ok) {
          return true;
        }
      }
    }
    return false;
  }
}
