package dev.lossbench.workflows.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real-data directories holding the files a matrix checks for (empty: only presence is checked). */
final class DataDirectories {
  private DataDirectories() {}

  static Path precomp(Path root, String... splits) {
    Path dir = root.resolve("precomp-" + String.join("-", splits));
    for (String split : splits) {
      touch(dir.resolve(split + "_ims.npy"));
      touch(dir.resolve(split + "_caps.txt"));
    }
    return dir;
  }

  static Path msrvtt(Path root) {
    Path dir = root.resolve("msrvtt");
    for (String f : new String[]{"MSRVTT_train.9k.csv", "MSRVTT_JSFUSION_test.csv", "MSRVTT_data.json",
        "frame_features.npy", "video_ids.txt"}) {
      touch(dir.resolve(f));
    }
    return dir;
  }

  static void touch(Path file) {
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
