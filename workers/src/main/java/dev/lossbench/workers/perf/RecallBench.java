package dev.lossbench.workers.perf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.retrieval.eval.EmbeddingSimilarities;
import dev.lossbench.retrieval.eval.RecallAtK;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Evaluation: Recall@K (both directions, 5 captions per image) on N × D image and 5N × D caption
 * embeddings already on the engine vs one plain N × D · D × 5N matrix product of the same arrays —
 * the floor, since every similarity has to be computed once. Interleaved rounds, medians.
 *
 * <p>Memory: one evaluation of the same sizes runs alone in a fresh JVM ({@link RecallMemoryChild})
 * while {@link MemoryProbe} follows its resident set (heap and native pages alike): the figure is
 * the peak minus the resident set before it started. The inputs (on the heap and on the engine)
 * exist before and are not counted. In this process the allocator would hand back pages earlier
 * sections freed, and the resident set would not show the tiles at all.
 */
public final class RecallBench {
  public record Result(double ratio, double recallSeconds, double matmulSeconds, double peakExtraMiB) {}

  private RecallBench() {}

  public static Result run(BenchSizes sizes, PrintWriter out) {
    int n = sizes.recallImages();
    int c = sizes.recallCaptions();
    int d = sizes.embedDim();
    float[] images = unitRows(n, d, 1);
    float[] captions = unitRows(c, d, 2);
    RecallAtK recall = new RecallAtK(5);
    try (NDManager m = EngineSettings.newBaseManager();
        EmbeddingSimilarities sims = new EmbeddingSimilarities(m, images, captions, d)) {
      NDArray img = m.create(images, new Shape(n, d));
      NDArray capT = m.create(captions, new Shape(c, d)).transpose();
      images = null;
      captions = null;
      System.gc();
      double peak = RecallMemoryChild.measure(n, d);
      double[] t = Repetitions.medians(List.of(
          () -> recall.evaluate(sims),
          () -> {
            try (NDArray p = img.matMul(capT)) {
              p.getFloat(0, 0);
            }
          }), 1, sizes.recallRounds());
      double ratio = t[0] / t[1];
      out.printf(Locale.ROOT, "recall: %d x %d images, %d x %d captions: RecallAtK %.3f s, one matmul %.3f s -> %s;"
          + " peak extra resident memory %s%n", n, d, c, d, t[0], t[1], BenchRow.times(ratio),
          Double.isNaN(peak) ? "not measured" : String.format(Locale.ROOT, "%.0f MiB", peak));
      out.flush();
      return new Result(ratio, t[0], t[1], peak);
    }
  }

  static float[] unitRows(int rows, int d, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[rows * d];
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      for (int k = 0; k < d; k++) {
        float v = (float) (rnd.nextDouble() - 0.5);
        x[r * d + k] = v;
        sum += v * v;
      }
      float inv = (float) (1 / Math.sqrt(sum));
      for (int k = 0; k < d; k++) {
        x[r * d + k] *= inv;
      }
    }
    return x;
  }
}
