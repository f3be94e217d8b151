package dev.lossbench.retrieval.data;

import dev.lossbench.retrieval.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The splits of the SCAN / VSE precomp convention. {@code testall} is COCO's 5K test set (the
 * 5-fold 1K protocol evaluates on it too); MSR-VTT has {@code train}, {@code test} (1k-A) and a
 * {@code dev} that falls back to the test file as CLIP4Clip does (see {@link MsrvttDataset}).
 */
public enum DatasetSplit {
  TRAIN,
  DEV,
  TEST,
  TESTALL;

  /** The name used in file names and matrices: {@code train}, {@code dev}, {@code test}, {@code testall}. */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a split name (case-insensitive); an unknown name is a user error listing the valid ones. */
  public static DatasetSplit of(String name) {
    for (DatasetSplit s : values()) {
      if (s.fileName().equalsIgnoreCase(name.trim())) {
        return s;
      }
    }
    throw new InvalidInputException("unknown dataset split '" + name + "' (expected one of "
        + Arrays.stream(values()).map(DatasetSplit::fileName).collect(Collectors.joining(", ")) + ")");
  }

  @Override
  public String toString() {
    return fileName();
  }
}
