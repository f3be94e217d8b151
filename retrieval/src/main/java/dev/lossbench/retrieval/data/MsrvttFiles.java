package dev.lossbench.retrieval.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the MSR-VTT files are. {@link #standard(Path)} gives the names CLIP4Clip and its
 * successors use; the frame features are either one {@code .npy} with a row per id of
 * {@code videoIds}, or a directory of per-video files (the single file wins when both exist).
 *
 * @param trainCsv split file of the 9k training videos (column {@code video_id})
 * @param testCsv 1k-A test pairs (columns {@code video_id}, {@code sentence}; JSFusion's also has
 *     {@code key}, {@code vid_key})
 * @param valCsv optional validation pairs, same columns as {@code testCsv}; when absent the dev
 *     split uses {@code testCsv}, as CLIP4Clip validates on the test set
 * @param captionsJson {@code MSRVTT_data.json}: {@code sentences: [{video_id, caption}, …]}
 * @param featuresNpy frame features, videos × frames × D (or videos × D for one vector per video)
 * @param videoIds one video id per line, line i naming row i of {@code featuresNpy}
 * @param featuresDir alternative to {@code featuresNpy}: {@code {video_id}.npy}, frames × D each
 */
public record MsrvttFiles(Path trainCsv, Path testCsv, Path valCsv, Path captionsJson, Path featuresNpy,
    Path videoIds, Path featuresDir) {

  /**
   * Whether the dev split is the 1k-A test split (no {@code valCsv}): anything chosen on
   * validation, a best epoch or a best variant, is then chosen on test data.
   */
  public boolean validatesOnTest() {
    return !Files.isRegularFile(valCsv);
  }

  /**
   * Names of the required files that are not there (the split files, the captions, the frame
   * features with their video ids); empty when everything is there.
   */
  public List<String> missing() {
    List<String> missing = new ArrayList<>();
    for (Path file : List.of(trainCsv, testCsv, captionsJson)) {
      if (!Files.isRegularFile(file)) {
        missing.add(file.getFileName().toString());
      }
    }
    boolean oneFile = Files.isRegularFile(featuresNpy);
    if (oneFile && !Files.isRegularFile(videoIds)) {
      missing.add(videoIds.getFileName() + " (names the rows of " + featuresNpy.getFileName() + ")");
    } else if (!oneFile && !Files.isDirectory(featuresDir)) {
      missing.add(featuresNpy.getFileName() + " or " + featuresDir.getFileName() + "/");
    }
    return missing;
  }

  /** The standard names inside {@code root}; see the package documentation for the full layout. */
  public static MsrvttFiles standard(Path root) {
    return new MsrvttFiles(
        root.resolve("MSRVTT_train.9k.csv"),
        root.resolve("MSRVTT_JSFUSION_test.csv"),
        root.resolve("MSRVTT_val.csv"),
        root.resolve("MSRVTT_data.json"),
        root.resolve("frame_features.npy"),
        root.resolve("video_ids.txt"),
        root.resolve("frame_features"));
  }
}
