package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.data.DatasetKind;

import dev.lossbench.retrieval.eval.EvaluationProtocol;

import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.MsrvttFiles;
import dev.lossbench.retrieval.data.PrecompDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.io.IOException;
import java.util.stream.Stream;

/**
 * The files a real dataset directory must hold for the splits a matrix will use, checked when the
 * matrix is read so that a missing file fails the submission, not a run hours later. Only
 * presence is checked here; shapes and contents are checked when the data is prepared.
 */
public final class DatasetFiles {
  private DatasetFiles() {}

  /** Names of required files missing from {@code dir}; empty when everything is there. */
  static List<String> missing(DatasetKind kind, Path dir, List<EvaluationProtocol> protocols) {
    return switch (kind) {
      case SYNTHETIC, SYNTHETIC_IMAGES -> List.of();
      case PRECOMP -> missingPrecomp(dir, protocols);
      case MSRVTT -> missingMsrvtt(dir);
      case KARPATHY -> missingKarpathy(dir);
    };
  }

  /**
   * Why a dataset's validation split is its test split, or null when it is not: MSR-VTT without
   * {@code MSRVTT_val.csv} validates on the 1k-A test pairs (as CLIP4Clip does).
   */
  public static String validationIsTest(DatasetKind kind, String path) {
    if (kind != DatasetKind.MSRVTT || path == null) {
      return null;
    }
    MsrvttFiles f = MsrvttFiles.standard(Path.of(path));
    return f.validatesOnTest() ? f.valCsv() + " not found: the dev split is the 1k-A test split, so the best epoch and"
        + " anything chosen on validation are chosen on test data" : null;
  }

  /** One warning line per dataset of {@code spec} whose validation split is its test split. */
  public static List<String> warnings(BenchmarkSpec spec) {
    List<String> lines = new ArrayList<>();
    for (DatasetSpec d : spec.datasets()) {
      String why = validationIsTest(d.kind(), d.path());
      if (why != null) {
        lines.add("warning: dataset " + d.name() + ": " + why);
      }
    }
    return lines;
  }

  /** What the directory is expected to hold, for the message that lists missing files. */
  static String expected(DatasetKind kind, List<EvaluationProtocol> protocols) {
    return switch (kind) {
      case SYNTHETIC, SYNTHETIC_IMAGES -> "";
      case KARPATHY -> "one Karpathy-split captions file dataset_*.json (dataset_flickr30k.json, dataset_coco.json) "
          + "and its images, in images/ or beside it";
      case PRECOMP -> "the precomp files {split}_ims.npy and {split}_caps.txt for splits "
          + String.join(", ", precompSplits(protocols).stream().map(DatasetSplit::fileName).toList());
      case MSRVTT -> "MSRVTT_train.9k.csv, MSRVTT_JSFUSION_test.csv, MSRVTT_data.json and frame features"
          + " (frame_features.npy with video_ids.txt, or a frame_features/ directory)";
    };
  }

  private static List<String> missingKarpathy(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      long n = files.filter(f -> f.getFileName().toString().matches("dataset_.*\\.json")).count();
      return n == 1 ? List.of() : List.of(n == 0 ? "dataset_*.json" : "single dataset_*.json (it has " + n + ")");
    } catch (IOException e) {
      return List.of("readable listing (" + e.getMessage() + ")");
    }
  }

  /** train and dev always (training, per-epoch validation), then the splits the protocols test on. */
  private static Set<DatasetSplit> precompSplits(List<EvaluationProtocol> protocols) {
    Set<DatasetSplit> splits = new TreeSet<>(List.of(DatasetSplit.TRAIN, DatasetSplit.DEV));
    protocols.forEach(p -> splits.add(p.split()));
    return splits;
  }

  private static List<String> missingPrecomp(Path dir, List<EvaluationProtocol> protocols) {
    List<String> missing = new ArrayList<>();
    for (DatasetSplit split : precompSplits(protocols)) {
      for (Path file : List.of(PrecompDataset.imagesFile(dir, split), PrecompDataset.captionsFile(dir, split))) {
        if (!Files.isRegularFile(file)) {
          missing.add(file.getFileName().toString());
        }
      }
    }
    return missing;
  }

  private static List<String> missingMsrvtt(Path dir) {
    MsrvttFiles f = MsrvttFiles.standard(dir);
    List<String> missing = new ArrayList<>();
    for (Path file : List.of(f.trainCsv(), f.testCsv(), f.captionsJson())) {
      if (!Files.isRegularFile(file)) {
        missing.add(file.getFileName().toString());
      }
    }
    boolean oneFile = Files.isRegularFile(f.featuresNpy());
    if (oneFile && !Files.isRegularFile(f.videoIds())) {
      missing.add(f.videoIds().getFileName() + " (names the rows of " + f.featuresNpy().getFileName() + ")");
    } else if (!oneFile && !Files.isDirectory(f.featuresDir())) {
      missing.add(f.featuresNpy().getFileName() + " or " + f.featuresDir().getFileName() + "/");
    }
    return missing;
  }
}
