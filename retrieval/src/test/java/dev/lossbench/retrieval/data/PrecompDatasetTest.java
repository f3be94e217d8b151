package dev.lossbench.retrieval.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.npy.NpyWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrecompDatasetTest {
  @TempDir
  Path dir;

  /** Captions "image i caption k" for n images × k captions. */
  private static List<String> captions(int images, int k) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      for (int c = 0; c < k; c++) {
        out.add("image " + i + " caption " + c);
      }
    }
    return out;
  }

  @Test
  void readsRegionFeaturesAndFiveCaptionsPerImage() {
    Fixtures.floats(dir.resolve("test_ims.npy"), Fixtures.ramp(3 * 4 * 2, 0f), 3, 4, 2);
    Fixtures.lines(dir.resolve("test_caps.txt"), captions(3, 5));

    PrecompDataset ds = PrecompDataset.open(dir, DatasetSplit.TEST);

    assertEquals(3, ds.images());
    assertEquals(15, ds.captionCount());
    assertEquals(5, ds.captionsPerImage());
    assertEquals(4, ds.regions());
    assertEquals(2, ds.dim());
    assertEquals("image 2 caption 3", ds.caption(13));
    assertEquals(2, ds.imageOf(13));
    assertEquals(10, ds.firstCaption(2));
    assertEquals(15, ds.firstCaption(3));
    float[] dst = new float[1 + 8];
    assertEquals(4, ds.readImage(1, dst, 1));
    assertArrayEquals(Fixtures.ramp(8, 8f), java.util.Arrays.copyOfRange(dst, 1, 9));
    assertFalse(ds.repeatedImageRows());
  }

  @Test
  void readsOneVectorPerImageAndFloat64() {
    double[] data = {0.5, 1.5, 2.5, 3.5, 4.5, 5.5};
    NpyWriter.writeDoubles(dir.resolve("dev_ims.npy"), data, 2, 3);
    Fixtures.lines(dir.resolve("dev_caps.txt"), captions(2, 1));

    PrecompDataset ds = PrecompDataset.open(dir, DatasetSplit.DEV, 1);

    assertEquals(1, ds.regions());
    assertEquals(3, ds.dim());
    RegionBatch batch = ds.readImages(new int[]{1, 0});
    assertArrayEquals(new float[]{3.5f, 4.5f, 5.5f, 0.5f, 1.5f, 2.5f}, batch.features());
    assertArrayEquals(new int[]{1, 1}, batch.validRegions());
  }

  @Test
  void repeatedImageRowsAreOneImageEach() {
    // 2 images, each row repeated 5× (one row per caption), as in the original VSE features
    float[] data = new float[10 * 3];
    for (int r = 0; r < 10; r++) {
      for (int d = 0; d < 3; d++) {
        data[r * 3 + d] = (r / 5) * 10 + d;
      }
    }
    Fixtures.floats(dir.resolve("train_ims.npy"), data, 10, 3);
    Fixtures.lines(dir.resolve("train_caps.txt"), captions(2, 5));

    PrecompDataset ds = PrecompDataset.open(dir, DatasetSplit.TRAIN);

    assertTrue(ds.repeatedImageRows());
    assertEquals(2, ds.images());
    assertEquals(10, ds.captionCount());
    float[] dst = new float[3];
    ds.readImage(1, dst, 0);
    assertArrayEquals(new float[]{10, 11, 12}, dst);
    assertEquals(1, ds.imageOf(9));
  }

  @Test
  void rowsPerCaptionThatAreNotRepeatsAreRejected() {
    Fixtures.floats(dir.resolve("train_ims.npy"), Fixtures.ramp(10 * 3, 0f), 10, 3);
    Path caps = Fixtures.lines(dir.resolve("train_caps.txt"), captions(2, 5));

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> PrecompDataset.open(dir, DatasetSplit.TRAIN));

    assertTrue(e.getMessage().contains(caps.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("rows 0 and 1 differ"), e.getMessage());
    assertTrue(e.getMessage().contains("1 caption per image"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {14, 16, 3 * 5 * 5})
  void captionCountMismatchNamesTheFileAndBothNumbers(int lines) {
    Path ims = Fixtures.floats(dir.resolve("test_ims.npy"), Fixtures.ramp(3 * 2, 0f), 3, 2);
    Path capsFile = Fixtures.lines(dir.resolve("test_caps.txt"), captions(lines, 1));

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> PrecompDataset.open(dir, DatasetSplit.TEST));

    assertTrue(e.getMessage().startsWith(capsFile.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(ims.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("has " + lines + " captions"), e.getMessage());
    assertTrue(e.getMessage().contains("has 3 images"), e.getMessage());
    assertTrue(e.getMessage().contains("15 lines"), e.getMessage());
  }

  @Test
  void trailingBlankLinesDoNotCountAsCaptions() {
    Fixtures.floats(dir.resolve("test_ims.npy"), Fixtures.ramp(2 * 2, 0f), 2, 2);
    Fixtures.text(dir.resolve("test_caps.txt"), String.join("\n", captions(2, 5)) + "\n\n  \n");

    assertEquals(10, PrecompDataset.open(dir, DatasetSplit.TEST).captionCount());
  }

  @Test
  void missingSplitFileNamesTheFileAndTheDirectory() {
    Fixtures.floats(dir.resolve("test_ims.npy"), Fixtures.ramp(2 * 2, 0f), 2, 2);

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> PrecompDataset.open(dir, DatasetSplit.TEST));
    assertTrue(e.getMessage().startsWith(dir.resolve("test_caps.txt").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not found in " + dir), e.getMessage());

    InvalidInputException e2 = assertThrows(InvalidInputException.class,
        () -> PrecompDataset.open(dir, DatasetSplit.TESTALL));
    assertTrue(e2.getMessage().startsWith(dir.resolve("testall_ims.npy").toString()), e2.getMessage());

    Path absent = dir.resolve("no-such-dataset");
    InvalidInputException e3 = assertThrows(InvalidInputException.class,
        () -> PrecompDataset.open(absent, DatasetSplit.TRAIN));
    assertTrue(e3.getMessage().contains(absent.toString()), e3.getMessage());
  }

  @Test
  void integerFeaturesAreRejectedNamingTheFileAndDtype() {
    Path ims = Fixtures.ints(dir.resolve("test_ims.npy"), 2, 3);
    Fixtures.lines(dir.resolve("test_caps.txt"), captions(2, 5));

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> PrecompDataset.open(dir, DatasetSplit.TEST));

    assertTrue(e.getMessage().startsWith(ims.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("<i4"), e.getMessage());
  }

  @Test
  void wrongNumberOfDimensionsIsRejectedWithTheShape() {
    Path ims = Fixtures.floats(dir.resolve("test_ims.npy"), new float[2 * 2 * 2 * 2], 2, 2, 2, 2);
    Fixtures.lines(dir.resolve("test_caps.txt"), captions(2, 5));

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> PrecompDataset.open(dir, DatasetSplit.TEST));

    assertTrue(e.getMessage().startsWith(ims.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("[2, 2, 2, 2]"), e.getMessage());
  }

  @Test
  void truncatedFeatureFileIsRejected() throws Exception {
    Path ims = Fixtures.floats(dir.resolve("test_ims.npy"), Fixtures.ramp(2 * 8, 0f), 2, 8);
    byte[] bytes = Files.readAllBytes(ims);
    Files.write(ims, java.util.Arrays.copyOf(bytes, bytes.length - 4));
    Fixtures.lines(dir.resolve("test_caps.txt"), captions(2, 5));

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> PrecompDataset.open(dir, DatasetSplit.TEST));

    assertTrue(e.getMessage().startsWith(ims.toString()) && e.getMessage().contains("truncated"), e.getMessage());
  }
}
