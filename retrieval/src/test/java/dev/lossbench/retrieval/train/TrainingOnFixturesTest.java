package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.MsrvttDataset;
import dev.lossbench.retrieval.data.PrecompDataset;
import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.npy.NpyWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny directories in the layouts users have load and train for a step. */
class TrainingOnFixturesTest {
  static final TrainingConfig ONE_STEP = TrainingConfig
      .fromMap(Map.of("epochs", 1, "batch_size", 8, "max_steps_per_epoch", 1));

  static float[] noise(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) (r.nextDouble() - 0.5);
    }
    return f;
  }

  @Test
  void precompLayoutTrainsOneStep(@TempDir Path dir, @TempDir Path run) throws IOException {
    for (String split : List.of("train", "dev")) {
      int n = 6;
      NpyWriter.writeFloats(dir.resolve(split + "_ims.npy"), noise(n * 4 * 10, split.length()), n, 4, 10);
      List<String> caps = new ArrayList<>();
      for (int i = 0; i < n * 5; i++) {
        caps.add("a picture number " + (i / 5) + " , caption " + (i % 5) + ".");
      }
      Files.write(dir.resolve(split + "_caps.txt"), caps);
    }
    TrainingResult r = new TrainingLoop(PrecompDataset.open(dir, DatasetSplit.TRAIN),
        PrecompDataset.open(dir, DatasetSplit.DEV),
        ModelSpec.parse("vse-gpo:embed_dim=16,word_dim=8"), LossSpec.parse("unified"), ONE_STEP, 1)
        .run(run, TrainingListener.NONE);
    assertEquals(1, r.history().size());
    assertTrue(Double.isFinite(r.history().get(0).trainLoss()) && r.history().get(0).trainLoss() > 0);
    assertTrue(Files.exists(ArtifactsLayout.lastCheckpoint(run)));
  }

  @Test
  void trainsOnAThreadOtherThanTheOneThatLoadedTheEngine(@TempDir Path dir, @TempDir Path run) throws Exception {
    SyntheticFixture f = new SyntheticFixture(dir, 30, 10);
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<TrainingResult> result = new java.util.concurrent.atomic.AtomicReference<>();
    // a fresh thread starts with PyTorch's per-thread gradient mode on, as Temporal's activity threads do
    Thread t = new Thread(() -> {
      try {
        result.set(new TrainingLoop(f.train, f.dev, ModelSpec.parse("vse-mean:embed_dim=16,word_dim=8"),
            LossSpec.parse("infonce"),
            ONE_STEP, 1).run(run, TrainingListener.NONE));
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    t.start();
    t.join();
    assertNull(failure.get(), () -> "training failed on a new thread: " + failure.get());
    assertEquals(1, result.get().history().size());
  }

  @Test
  void msrvttLayoutTrainsOneStepAndValidatesOnOneCaptionPerVideo(@TempDir Path root, @TempDir Path run)
      throws IOException {
    int videos = 10;
    int frames = 3;
    int dim = 6;
    List<String> ids = new ArrayList<>();
    for (int v = 0; v < videos; v++) {
      ids.add("video" + v);
    }
    NpyWriter.writeFloats(root.resolve("frame_features.npy"), noise(videos * frames * dim, 3), videos, frames, dim);
    Files.write(root.resolve("video_ids.txt"), ids);
    Files.write(root.resolve("MSRVTT_train.9k.csv"),
        List.of("video_id", "video0", "video1", "video2", "video3", "video4", "video5"));
    List<String> test = new ArrayList<>(List.of("key,vid_key,video_id,sentence"));
    for (int v = 6; v < videos; v++) {
      test.add("ret" + v + ",msr" + v + ",video" + v + ",a clip of thing " + v);
    }
    Files.write(root.resolve("MSRVTT_JSFUSION_test.csv"), test);
    StringBuilder json = new StringBuilder("{\"sentences\": [");
    for (int v = 0; v < 6; v++) {
      for (int s = 0; s < 3; s++) {
        json.append(v + s == 0 ? "" : ",").append("{\"video_id\": \"video").append(v).append("\", \"caption\": \"clip ")
            .append(v).append(" sentence ").append(s).append("\"}");
      }
    }
    Files.writeString(root.resolve("MSRVTT_data.json"), json.append("]}").toString());

    MsrvttDataset train = MsrvttDataset.open(root, DatasetSplit.TRAIN);
    MsrvttDataset test1k = MsrvttDataset.open(root, DatasetSplit.TEST);
    assertEquals(1, test1k.captionsPerImage());
    TrainingResult r = new TrainingLoop(train, test1k, ModelSpec.parse("meanp:embed_dim=16,word_dim=8"),
        LossSpec.parse("infonce"), ONE_STEP, 1).run(run, TrainingListener.NONE);
    assertEquals(1, r.history().size());
    assertTrue(r.history().get(0).validation().t2iR10() > 0);
  }
}
