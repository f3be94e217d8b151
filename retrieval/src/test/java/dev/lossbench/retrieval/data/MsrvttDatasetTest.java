package dev.lossbench.retrieval.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MsrvttDatasetTest {
  private static final int FRAMES = 4;
  private static final int DIM = 3;

  @TempDir
  Path root;

  /** Feature row of a video: every value encodes (video number, frame, dim). */
  private static float value(int video, int frame, int d) {
    return video * 100 + frame * 10 + d;
  }

  private static float[] frames(int video, int frames) {
    float[] a = new float[frames * DIM];
    for (int f = 0; f < frames; f++) {
      for (int d = 0; d < DIM; d++) {
        a[f * DIM + d] = value(video, f, d);
      }
    }
    return a;
  }

  @BeforeEach
  void writeLayout() {
    Fixtures.lines(root.resolve("MSRVTT_train.9k.csv"), List.of("video_id", "video3", "video0", "video4"));
    Fixtures.lines(root.resolve("MSRVTT_JSFUSION_test.csv"), List.of(
        "key,vid_key,video_id,sentence",
        "ret0,msr7,video7,a man is singing",
        "ret1,msr1,video1,\"a cat, a dog and a bird play\""));
    Fixtures.text(root.resolve("MSRVTT_data.json"), """
        {"info": {"year": 2016},
         "videos": [{"video_id": "video0", "url": "u0", "split": "train"}],
         "sentences": [
           {"caption": "zero one", "video_id": "video0", "sen_id": 0},
           {"caption": "three one", "video_id": "video3", "sen_id": 1},
           {"caption": "seven one", "video_id": "video7", "sen_id": 2},
           {"caption": "zero two", "video_id": "video0", "sen_id": 3},
           {"caption": "four one", "video_id": "video4", "sen_id": 4},
           {"caption": "three two", "video_id": "video3", "sen_id": 5}
         ]}
        """);
  }

  /** One shared .npy, rows in an order unrelated to the split files. */
  private void writeSharedFeatures() {
    int[] rowVideos = {7, 4, 1, 0, 3};
    float[] all = new float[rowVideos.length * FRAMES * DIM];
    for (int r = 0; r < rowVideos.length; r++) {
      System.arraycopy(frames(rowVideos[r], FRAMES), 0, all, r * FRAMES * DIM, FRAMES * DIM);
    }
    Fixtures.floats(root.resolve("frame_features.npy"), all, rowVideos.length, FRAMES, DIM);
    Fixtures.lines(root.resolve("video_ids.txt"), Arrays.stream(rowVideos).mapToObj(v -> "video" + v).toList());
  }

  @Test
  void trainingSplitHasAllSentencesOfEachTrainingVideoInCsvOrder() {
    writeSharedFeatures();

    MsrvttDataset ds = MsrvttDataset.open(root, DatasetSplit.TRAIN);

    assertEquals(3, ds.images());
    assertEquals(List.of("video3", "video0", "video4"), List.of(ds.videoId(0), ds.videoId(1), ds.videoId(2)));
    assertEquals(5, ds.captionCount());
    assertEquals(List.of("three one", "three two", "zero one", "zero two", "four one"),
        List.of(ds.caption(0), ds.caption(1), ds.caption(2), ds.caption(3), ds.caption(4)));
    assertArrayEquals(new int[]{0, 0, 1, 1, 2},
        new int[]{ds.imageOf(0), ds.imageOf(1), ds.imageOf(2), ds.imageOf(3), ds.imageOf(4)});
    assertEquals(2, ds.captionsOf(1));
    assertFalse(ds.hasUniformCaptions());
    assertThrows(IllegalStateException.class, ds::captionsPerImage);
    assertEquals(FRAMES, ds.regions());
    assertEquals(DIM, ds.dim());
    float[] dst = new float[FRAMES * DIM];
    assertEquals(FRAMES, ds.readImage(1, dst, 0));
    assertArrayEquals(frames(0, FRAMES), dst);
  }

  /** Protocol gap's view: the first n videos with the first k sentences each, uniform even when the split is not. */
  @Test
  void firstImagesOfTheTrainingSplitTakeTheFirstSentencesOfTheFirstVideos() {
    writeSharedFeatures();
    MsrvttDataset train = MsrvttDataset.open(root, DatasetSplit.TRAIN);
    MsrvttDataset test = MsrvttDataset.open(root, DatasetSplit.TEST);

    assertEquals(2, FirstImages.fewestCaptions(train, 2), "video3 and video0 have two sentences each");
    assertEquals(1, FirstImages.fewestCaptions(train, 3), "video4 has one");
    FirstImages view = FirstImages.of(train, test.images(), test.captionsPerImage());

    assertEquals(2, view.images());
    assertEquals(2, view.captionCount());
    assertTrue(view.hasUniformCaptions());
    assertEquals(1, view.captionsPerImage());
    assertEquals(List.of("three one", "zero one"), List.of(view.caption(0), view.caption(1)));
    assertArrayEquals(new int[]{0, 1}, new int[]{view.imageOf(0), view.imageOf(1)});
    assertEquals(DatasetSplit.TRAIN, view.split());
    RegionBatch b = view.readImages(new int[]{1});
    assertArrayEquals(frames(0, FRAMES), Arrays.copyOfRange(b.features(), 0, FRAMES * DIM));
    assertThrows(IndexOutOfBoundsException.class, () -> view.readImage(2, new float[FRAMES * DIM], 0));
    assertThrows(IndexOutOfBoundsException.class, () -> view.caption(2));

    FirstImages two = FirstImages.of(train, 2, 2);
    assertEquals(List.of("three one", "three two", "zero one", "zero two"),
        List.of(two.caption(0), two.caption(1), two.caption(2), two.caption(3)));
    InvalidInputException fewer = assertThrows(InvalidInputException.class, () -> FirstImages.of(train, 3, 2));
    assertTrue(fewer.getMessage().endsWith("an image among the first 3 has 1 caption(s), not 2"), fewer.getMessage());
    assertThrows(InvalidInputException.class, () -> FirstImages.of(test, 3, 1));
  }

  @Test
  void testSplitIsOneCaptionPerVideo() {
    writeSharedFeatures();

    MsrvttDataset ds = MsrvttDataset.open(root, DatasetSplit.TEST);

    assertEquals(2, ds.images());
    assertTrue(ds.hasUniformCaptions());
    assertEquals(1, ds.captionsPerImage());
    assertEquals("a cat, a dog and a bird play", ds.caption(1));
    assertEquals("video1", ds.videoId(1));
    RegionBatch b = ds.readImages(new int[]{1, 0});
    assertArrayEquals(frames(1, FRAMES), Arrays.copyOfRange(b.features(), 0, FRAMES * DIM));
    assertArrayEquals(frames(7, FRAMES), Arrays.copyOfRange(b.features(), b.offset(1), b.offset(1) + FRAMES * DIM));
  }

  @Test
  void devUsesTheValidationFileWhenPresentElseTheTestPairs() {
    writeSharedFeatures();
    assertEquals("a man is singing", MsrvttDataset.open(root, DatasetSplit.DEV).caption(0));

    Fixtures.lines(root.resolve("MSRVTT_val.csv"), List.of("video_id,sentence", "video4,someone cooks"));
    MsrvttDataset dev = MsrvttDataset.open(root, DatasetSplit.DEV);
    assertEquals(1, dev.images());
    assertEquals("someone cooks", dev.caption(0));
  }

  @Test
  void testallIsNotAnMsrvttSplit() {
    writeSharedFeatures();
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> MsrvttDataset.open(root, DatasetSplit.TESTALL));
    assertTrue(e.getMessage().contains("testall"), e.getMessage());
  }

  @Test
  void longerVideosAreSampledEvenly() {
    writeSharedFeatures();
    MsrvttDataset ds = MsrvttDataset.open(MsrvttFiles.standard(root), DatasetSplit.TEST, 2);

    float[] dst = new float[2 * DIM];
    assertEquals(2, ds.readImage(0, dst, 0));
    float[] expected = new float[2 * DIM];
    for (int d = 0; d < DIM; d++) {
      expected[d] = value(7, 0, d);
      expected[DIM + d] = value(7, FRAMES - 1, d);
    }
    assertArrayEquals(expected, dst);
  }

  @Test
  void perVideoFilesArePaddedToTheLongestAndReportRealFrames() {
    Path dir = root.resolve("frame_features");
    Fixtures.floats(dir.resolve("video3.npy"), frames(3, 2), 2, DIM);
    Fixtures.floats(dir.resolve("video0.npy"), frames(0, 5), 5, DIM);
    Fixtures.floats(dir.resolve("video4.npy"), frames(4, 1), 1, DIM);

    MsrvttDataset ds = MsrvttDataset.open(root, DatasetSplit.TRAIN);

    assertEquals(5, ds.regions());
    assertEquals(2, ds.storedFrames(0));
    float[] dst = new float[5 * DIM];
    Arrays.fill(dst, -1f);
    assertEquals(2, ds.readImage(0, dst, 0));
    assertArrayEquals(frames(3, 2), Arrays.copyOf(dst, 2 * DIM));
    assertArrayEquals(new float[3 * DIM], Arrays.copyOfRange(dst, 2 * DIM, 5 * DIM));
    RegionBatch b = ds.readImages(new int[]{0, 1, 2});
    assertArrayEquals(new int[]{2, 5, 1}, b.validRegions());
  }

  @Test
  void videoIdCountMismatchNamesBothFilesAndNumbers() {
    writeSharedFeatures();
    Path ids = Fixtures.lines(root.resolve("video_ids.txt"), List.of("video7", "video4", "video1", "video0"));

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> MsrvttDataset.open(root, DatasetSplit.TEST));

    assertTrue(e.getMessage().startsWith(ids.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("has 4 video ids"), e.getMessage());
    assertTrue(e.getMessage().contains(root.resolve("frame_features.npy") + " has 5 rows"), e.getMessage());
  }

  @Test
  void videoWithoutFeaturesIsNamed() {
    writeSharedFeatures();
    Fixtures.lines(root.resolve("MSRVTT_JSFUSION_test.csv"), List.of("video_id,sentence", "video9,nobody"));

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> MsrvttDataset.open(root, DatasetSplit.TEST));

    assertTrue(e.getMessage().contains("'video9'") && e.getMessage().contains("video_ids.txt"), e.getMessage());
  }

  @Test
  void missingSplitFileAndMissingColumnAreNamed() throws Exception {
    writeSharedFeatures();
    Path test = root.resolve("MSRVTT_JSFUSION_test.csv");
    Files.delete(test);
    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> MsrvttDataset.open(root, DatasetSplit.TEST));
    assertTrue(
        missing.getMessage().startsWith(test.toString()) && missing.getMessage().contains("not found in " + root),
        missing.getMessage());

    Fixtures.lines(test, List.of("key,video_id,caption", "ret0,video7,a man"));
    InvalidInputException column = assertThrows(InvalidInputException.class,
        () -> MsrvttDataset.open(root, DatasetSplit.TEST));
    assertTrue(column.getMessage().startsWith(test.toString()) && column.getMessage().contains("'sentence'"),
        column.getMessage());
  }

  @Test
  void trainingVideoWithoutSentencesIsNamed() {
    writeSharedFeatures();
    Fixtures.lines(root.resolve("MSRVTT_train.9k.csv"), List.of("video_id", "video3", "video1"));

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> MsrvttDataset.open(root, DatasetSplit.TRAIN));

    assertTrue(e.getMessage().startsWith(root.resolve("MSRVTT_data.json").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("'video1'"), e.getMessage());
  }

  @Test
  void malformedCaptionsJsonIsNamed() {
    writeSharedFeatures();
    Path json = Fixtures.text(root.resolve("MSRVTT_data.json"), "{\"sentences\": [ {\"video_id\": \"video3\", ");

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> MsrvttDataset.open(root, DatasetSplit.TRAIN));

    assertTrue(e.getMessage().startsWith(json.toString()) && e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Test
  void perVideoFeatureProblemsAreNamed() {
    Path dir = root.resolve("frame_features");
    Fixtures.floats(dir.resolve("video3.npy"), frames(3, 2), 2, DIM);
    Path wrong = Fixtures.floats(dir.resolve("video0.npy"), new float[2 * 5], 2, 5);
    Fixtures.floats(dir.resolve("video4.npy"), frames(4, 1), 1, DIM);

    InvalidInputException dim = assertThrows(InvalidInputException.class,
        () -> MsrvttDataset.open(root, DatasetSplit.TRAIN));
    assertTrue(dim.getMessage().startsWith(wrong.toString()) && dim.getMessage().contains("dimension 5 differs from 3"),
        dim.getMessage());

    Path ints = Fixtures.ints(dir.resolve("video0.npy"), 2, DIM);
    InvalidInputException dtype = assertThrows(InvalidInputException.class,
        () -> MsrvttDataset.open(root, DatasetSplit.TRAIN));
    assertTrue(dtype.getMessage().startsWith(ints.toString()) && dtype.getMessage().contains("<i4"),
        dtype.getMessage());

    InvalidInputException absent = assertThrows(InvalidInputException.class,
        () -> MsrvttDataset.open(root, DatasetSplit.TEST));
    assertTrue(absent.getMessage().startsWith(dir.resolve("video7.npy").toString()), absent.getMessage());
  }

  @Test
  void missingFeaturesNameBothAcceptedLayouts() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> MsrvttDataset.open(root, DatasetSplit.TEST));
    assertTrue(e.getMessage().contains(root.resolve("frame_features.npy").toString())
        && e.getMessage().contains(root.resolve("frame_features").toString()), e.getMessage());
  }
}
