package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.data.DatasetKind;
import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.eval.EvaluationProtocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files a real dataset directory must hold for the splits a matrix will use, checked when the
 * matrix is read so that a missing file fails the submission, not a run hours later. Only
 * presence is checked here; shapes and contents are checked when the data is prepared.
 */
public final class DatasetFiles {
  private DatasetFiles() {}

  /** Names of required files missing from {@code dir}; empty when everything is there. */
  static List<String> missing(DatasetKind kind, Path dir, List<EvaluationProtocol> protocols) {
    return kind.missingFiles(dir, splits(protocols));
  }

  /**
   * Why a dataset's validation split is its test split, or null when it is not: MSR-VTT without
   * {@code MSRVTT_val.csv} validates on the 1k-A test pairs (as CLIP4Clip does).
   */
  public static String validationIsTest(DatasetKind kind, String path) {
    return path == null ? null : kind.validationIsTest(Path.of(path));
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
    return kind.expectedFiles(splits(protocols));
  }

  /** train and dev always (training, per-epoch validation), then the splits the protocols test on. */
  private static Set<DatasetSplit> splits(List<EvaluationProtocol> protocols) {
    Set<DatasetSplit> splits = new TreeSet<>(List.of(DatasetSplit.TRAIN, DatasetSplit.DEV));
    protocols.forEach(p -> splits.add(p.split()));
    return splits;
  }
}
