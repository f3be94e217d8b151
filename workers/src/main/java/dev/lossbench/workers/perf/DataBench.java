package dev.lossbench.workers.perf;

import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.PrecompDataset;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.npy.NpyDType;
import dev.lossbench.retrieval.npy.NpyWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Data loading: batches per second of {@link PrecompDataset#readImages} (memory-mapped
 * {@code train_ims.npy}, images drawn in a shuffled order as training does) vs reading the same
 * number of bytes sequentially from the same file with a {@link FileChannel} into a direct buffer
 * (the page-cache floor). The file was just written, so both read from the page cache. The goal
 * compares the loader with the training step rate measured by {@link TrainStepBench}.
 */
public final class DataBench {
  public record Result(double loaderBatchesPerSecond, double floorBatchesPerSecond) {}

  private DataBench() {}

  public static Result run(BenchSizes s, Path workDir, PrintWriter out) {
    int n = s.dataImages();
    int b = Math.min(s.stepBatch(), n);
    int per = s.regions() * s.regionDim();
    try {
      Path dir = Files.createDirectories(workDir.resolve("precomp"));
      Path ims = PrecompDataset.imagesFile(dir, DatasetSplit.TRAIN);
      SplittableRandom rnd = new SplittableRandom(5);
      try (NpyWriter w = NpyWriter.create(ims, NpyDType.FLOAT32, n, s.regions(), s.regionDim())) {
        float[] row = new float[per];
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < per; k++) {
            row[k] = (float) rnd.nextDouble();
          }
          w.write(row, 0, per);
        }
      }
      List<String> caps = new ArrayList<>();
      for (int i = 0; i < 5 * n; i++) {
        caps.add("a red square left of a blue circle " + i);
      }
      Files.write(PrecompDataset.captionsFile(dir, DatasetSplit.TRAIN), caps);
      PrecompDataset data = PrecompDataset.open(dir, DatasetSplit.TRAIN);
      int[] order = shuffled(n, rnd);
      long batchBytes = (long) b * per * Float.BYTES;
      ByteBuffer buffer = ByteBuffer.allocateDirect((int) batchBytes);
      int[] next = {0};
      int batchesPerTask = Math.max(1, n / b);
      try (FileChannel ch = FileChannel.open(ims, StandardOpenOption.READ)) {
        long size = ch.size();
        long[] pos = {0};
        double[] t = Repetitions.medians(List.of(
            () -> {
              for (int k = 0; k < batchesPerTask; k++) {
                int[] idx = new int[b];
                for (int i = 0; i < b; i++) {
                  idx[i] = order[(next[0]++) % n];
                }
                RegionBatch batch = data.readImages(idx);
                if (batch.features().length != b * per) {
                  throw new IllegalStateException("short batch");
                }
              }
            },
            () -> {
              for (int k = 0; k < batchesPerTask; k++) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                  if (pos[0] >= size) {
                    pos[0] = 0;
                  }
                  int r = ch.read(buffer, pos[0]);
                  pos[0] += r;
                }
              }
            }), 1, s.dataRounds());
        Result res = new Result(batchesPerTask / t[0], batchesPerTask / t[1]);
        out.printf(Locale.ROOT,
            "data: %d images x %d x %d float32 (%.0f MiB), batch %d: memory-mapped loader %.1f batches/s,"
                + " sequential read %.1f batches/s (loader at %.2fx of it)%n",
            n, s.regions(), s.regionDim(), size / 1048576.0, b,
            res.loaderBatchesPerSecond(), res.floorBatchesPerSecond(),
            res.loaderBatchesPerSecond() / res.floorBatchesPerSecond());
        out.flush();
        return res;
      } finally {
        Files.deleteIfExists(ims);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int[] shuffled(int n, SplittableRandom rnd) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int x = a[i];
      a[i] = a[j];
      a[j] = x;
    }
    return a;
  }
}
