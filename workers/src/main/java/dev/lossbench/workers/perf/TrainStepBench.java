package dev.lossbench.workers.perf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.TokenBatch;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.retrieval.engine.OpProfile;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.loss.RetrievalLoss;
import dev.lossbench.retrieval.model.DualEncoder;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.train.AdamW;
import dev.lossbench.retrieval.train.TrainingStep;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training step: one step of the VSE∞-shaped dual encoder ({@code vse-gpo}: region projection
 * with the 2-layer MLP residual, GPO pooling; word embeddings → BiGRU; Triplet-HN on in-batch
 * similarities; backward; global-norm clipping; AdamW) exactly as {@code TrainingLoop} does one,
 * without region drop-out (every item keeps all regions, as in the PyTorch reference script), vs
 * the machine's floor: the in-process FLOP/s of a large square matrix product, measured in the
 * same interleaved rounds.
 *
 * <p>FLOPs counted (matrix products only; element-wise work, GPO's 32-wide GRU, sort and AdamW
 * are left out, so the share is a slight underestimate). With B batch, R regions, D region
 * dimension, E embedding, W word dimension, T tokens, H = E GRU hidden, one product of an
 * (m × k) and (k × n) matrix costing 2mkn forward; its backward costs 2mkn for the weight's
 * gradient plus 2mkn for the input's gradient when the input needs one:
 * <pre>
 *   fc    = 2·B·R·D·E        ×2 (input = features: no input gradient)
 *   mlp1  = 2·B·R·D·(E/2)    ×2
 *   mlp2  = 2·B·R·(E/2)·E    ×3
 *   gru   = 2 directions · 2·B·T·(W·3H + H·3H)   ×3 (the embeddings are trained)
 *   sims  = 2·B·B·E          ×3
 * </pre>
 */
public final class TrainStepBench {
  public record Result(double stepSeconds, double stepFlops, double floorFlopsPerSecond, double share) {
    public double stepsPerSecond() {
      return 1 / stepSeconds;
    }
  }

  private TrainStepBench() {}

  public static double stepFlops(BenchSizes s) {
    double b = s.stepBatch();
    double r = s.regions();
    double d = s.regionDim();
    double e = s.stepEmbed();
    double w = s.wordDim();
    double t = s.words();
    double fc = 2 * b * r * d * e;
    double mlp1 = 2 * b * r * d * (e / 2);
    double mlp2 = 2 * b * r * (e / 2) * e;
    double gru = 2 * 2 * b * t * (w * 3 * e + e * 3 * e);
    double sims = 2 * b * b * e;
    return 2 * (fc + mlp1) + 3 * (mlp2 + gru + sims);
  }

  public static String modelSpec(BenchSizes s) {
    return "vse-gpo:embed_dim=" + s.stepEmbed() + ",word_dim=" + s.wordDim() + ",max_words=" + s.words();
  }

  public static Result run(BenchSizes s, PrintWriter out) {
    int b = s.stepBatch();
    RegionBatch regions = regions(s);
    TokenBatch tokens = tokens(s);
    RetrievalLoss loss = LossSpec.parse("triplet-hn").create();
    int n = s.floorSize();
    double floorFlops = 2.0 * n * n * n;
    try (NDManager m = EngineSettings.newBaseManager();
        DualEncoder model = new DualEncoder(m, ModelSpec.parse(modelSpec(s)), s.regionDim(), s.vocab(), 0.07, 7);
        AdamW optimizer = new AdamW(m, model.parameters().arrays(), 1e-4)) {
      NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
      NDArray c = m.randomUniform(-1, 1, new Shape(n, n));
      TrainingStep ts = trainingStep(model, optimizer, loss);
      NDArray anyParameter = model.parameterArrays().values().iterator().next();
      double[] t = Repetitions.medians(List.of(
          () -> {
            step(m, ts, regions, tokens);
            EngineSettings.synchronize(anyParameter); // the device's queued work belongs to the timed region
          },
          () -> {
            try (NDArray p = a.matMul(c)) {
              p.getFloat(0, 0);
            }
          }), 1, s.stepRounds());
      double flops = stepFlops(s);
      double rate = floorFlops / t[1];
      double share = flops / t[0] / rate;
      out.printf(Locale.ROOT,
          "train-step: %s, batch %d, %d x %d regions: step %.3f s (%.1f GFLOP counted -> %.1f GFLOP/s);"
              + " %dx%d matmul floor %.1f GFLOP/s -> %s of the floor%n",
          modelSpec(s), b, s.regions(), s.regionDim(), t[0],
          flops / 1e9, flops / t[0] / 1e9, n, n, rate / 1e9, BenchRow.percent(share));
      out.flush();
      return new Result(t[0], flops, rate, share);
    }
  }

  /** The training loop's own step ({@link TrainingStep}: loss and gradient norm read once, clipping at 2, AdamW at 2e-4). */
  static TrainingStep trainingStep(DualEncoder model, AdamW optimizer, RetrievalLoss loss) {
    return new TrainingStep(model, loss, optimizer, name -> false, 2.0, 2e-4,
        EngineSettings.lossCheckEvery(model.parameterArrays().values().iterator().next().getDevice()), 0, 0);
  }

  static double step(NDManager manager, TrainingStep step, RegionBatch regions, TokenBatch tokens) {
    long[] groups = new long[regions.size()];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = i;
    }
    return step.run(manager, regions, tokens, groups, 1, 1, 0, 2e-4).loss();
  }

  /** Engine operations and host reads per training step (libtorch's profiler; counts, not timings). */
  public record OpCounts(double opsPerStep, double hostReadsPerStep) {}

  public static OpCounts countOps(BenchSizes s, Path scratch) {
    RegionBatch regions = regions(s);
    TokenBatch tokens = tokens(s);
    RetrievalLoss loss = LossSpec.parse("triplet-hn").create();
    try (NDManager m = EngineSettings.newBaseManager();
        DualEncoder model = new DualEncoder(m, ModelSpec.parse(modelSpec(s)), s.regionDim(), s.vocab(), 0.07, 7);
        AdamW optimizer = new AdamW(m, model.parameters().arrays(), 1e-4)) {
      TrainingStep ts = trainingStep(model, optimizer, loss);
      step(m, ts, regions, tokens); // warm-up
      OpProfile.Counts c = OpProfile.count(() -> step(m, ts, regions, tokens), 2, scratch);
      return new OpCounts(c.opsPerRun(), c.hostReadsPerRun());
    }
  }

  static RegionBatch regions(BenchSizes s) {
    int b = s.stepBatch();
    SplittableRandom rnd = new SplittableRandom(11);
    float[] f = new float[b * s.regions() * s.regionDim()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) rnd.nextDouble(); // non-negative, like bottom-up-attention features
    }
    int[] valid = new int[b];
    Arrays.fill(valid, s.regions());
    return new RegionBatch(b, s.regions(), s.regionDim(), f, valid);
  }

  static TokenBatch tokens(BenchSizes s) {
    int b = s.stepBatch();
    SplittableRandom rnd = new SplittableRandom(13);
    int[] ids = new int[b * s.words()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 2 + rnd.nextInt(s.vocab() - 2);
    }
    int[] lengths = new int[b];
    Arrays.fill(lengths, s.words());
    return new TokenBatch(b, s.words(), ids, lengths);
  }
}
