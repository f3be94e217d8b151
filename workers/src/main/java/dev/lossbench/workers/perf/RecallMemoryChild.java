package dev.lossbench.workers.perf;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.retrieval.eval.EmbeddingSimilarities;
import dev.lossbench.retrieval.eval.RecallAtK;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The recall row's memory figure, measured in a fresh JVM: in the bench's own process the
 * allocator reuses pages the earlier sections freed, so the resident set need not grow at all
 * while Recall@K allocates its tiles. Here the inputs are created first (they are not counted),
 * then one evaluation runs under {@link MemoryProbe}; the last line of stdout is the peak extra
 * resident memory in MiB.
 */
final class RecallMemoryChild {
  private RecallMemoryChild() {}

  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    int d = Integer.parseInt(args[1]);
    int c = n * 5;
    float[] images = RecallBench.unitRows(n, d, 1);
    float[] captions = RecallBench.unitRows(c, d, 2);
    RecallAtK recall = new RecallAtK(5);
    try (NDManager m = EngineSettings.newBaseManager();
        EmbeddingSimilarities sims = new EmbeddingSimilarities(m, images, captions, d)) {
      images = null;
      captions = null;
      System.gc();
      double peak = MemoryProbe.peakExtraMiB(() -> recall.evaluate(sims));
      System.out.println(String.format(Locale.ROOT, "%.1f", peak));
    }
  }

  /** Runs {@link #main} in a child JVM with this JVM's class path; NaN when that fails. */
  static double measure(int n, int d) {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx2g", "-Dai.djl.offline=true", "-cp",
        System.getProperty("java.class.path"), RecallMemoryChild.class.getName(), Integer.toString(n),
        Integer.toString(d))
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0 || out.isEmpty()) {
        return Double.NaN;
      }
      String[] lines = out.split("\n");
      return Double.parseDouble(lines[lines.length - 1].strip());
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }
}
