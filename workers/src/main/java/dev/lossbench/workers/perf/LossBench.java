package dev.lossbench.workers.perf;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.retrieval.loss.LossContext;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.loss.PairMask;
import dev.lossbench.retrieval.loss.RetrievalLoss;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Loss cost: forward + backward of each loss on B × B similarities, as a ratio to {@code infonce}
 * measured in the same rounds. The negatives mask is built once outside the timed region (the
 * training loop builds it once per step too, and it is the same for every loss); each timed
 * call clones the similarities into a fresh leaf that requires a gradient, computes the scalar
 * loss, runs backward and reads the loss value.
 */
public final class LossBench {
  public static final List<String> LOSSES = List.of("infonce", "unified", "triplet-hn", "triplet", "circle");

  /** Worst ratio to infonce over the batch sizes, per loss (in {@link #LOSSES} order). */
  public record Result(double[] worstRatio) {
    public double worst(String loss) {
      return worstRatio[LOSSES.indexOf(loss)];
    }
  }

  private LossBench() {}

  public static Result run(BenchSizes sizes, PrintWriter out) {
    double[] worst = new double[LOSSES.size()];
    out.printf(Locale.ROOT, "loss: forward+backward, median of %d interleaved rounds, ratio to infonce%n",
        sizes.lossRounds());
    out.printf(Locale.ROOT, "  %-6s %-10s", "B", "infonce ms");
    for (String l : LOSSES.subList(1, LOSSES.size())) {
      out.printf(Locale.ROOT, " %-11s", l);
    }
    out.println();
    time(sizes.lossBatches()[0], sizes.lossWarmup() + 3, 1); // the engine's first calls (thread pools, allocator) are slow
    for (int b : sizes.lossBatches()) {
      double[] t = time(b, sizes.lossWarmup(), sizes.lossRounds());
      out.printf(Locale.ROOT, "  %-6d %-10.2f", b, t[0] * 1e3);
      for (int i = 1; i < t.length; i++) {
        double r = t[i] / t[0];
        worst[i] = Math.max(worst[i], r);
        out.printf(Locale.ROOT, " %-11s", BenchRow.times(r));
      }
      out.println();
      out.flush();
    }
    worst[0] = 1;
    return new Result(worst);
  }

  /** Median seconds per loss (in {@link #LOSSES} order) for one batch size. */
  static double[] time(int b, int warmup, int rounds) {
    try (NDManager m = EngineSettings.newBaseManager()) {
      SplittableRandom rnd = new SplittableRandom(b);
      float[] s = new float[b * b];
      for (int i = 0; i < s.length; i++) {
        s[i] = (float) (rnd.nextDouble() * 1.2 - 0.4); // cosine-like similarities
      }
      for (int i = 0; i < b; i++) {
        s[i * b + i] += 0.3f;
      }
      NDArray template = m.create(s, new Shape(b, b));
      NDArray negatives = PairMask.distinct(b).negatives(m, DataType.FLOAT32);
      List<Repetitions.Task> tasks = new ArrayList<>();
      for (String name : LOSSES) {
        RetrievalLoss loss = LossSpec.parse(name).create();
        tasks.add(() -> forwardBackward(m, template, negatives, loss));
      }
      return Repetitions.medians(tasks, warmup, rounds);
    }
  }

  static double forwardBackward(NDManager m, NDArray template, NDArray negatives, RetrievalLoss loss) {
    try (NDManager sm = m.newSubManager()) {
      NDArray sims = template.duplicate();
      sims.attach(sm);
      sims.setRequiresGradient(true);
      double value;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray l = loss.loss(sims, negatives, LossContext.epoch(1));
        value = l.getFloat();
        gc.backward(l);
      }
      sims.getGradient().getFloat(0, 0); // the gradient exists (CPU ops are synchronous)
      return value;
    }
  }
}
