package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.TokenBatch;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.engine.HostReads;
import dev.lossbench.retrieval.engine.OpProfile;
import dev.lossbench.retrieval.loss.LossContext;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.loss.PairMask;
import dev.lossbench.retrieval.loss.RetrievalLoss;
import dev.lossbench.retrieval.model.DualEncoder;
import dev.lossbench.retrieval.model.ModelSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training step on the device: AdamW's fused update equals torch.optim.AdamW's formula (the
 * previous implementation, kept here as the reference), and the step's counts — engine operations
 * and host reads, from libtorch's profiler and {@link HostReads} — before (the previous step, kept
 * here) and after. Counts, not timings.
 */
class TrainingStepOnDeviceTest {
  private static final String SPEC = "vse-gpo:embed_dim=32,word_dim=16,max_words=6";

  @BeforeAll
  static void gradOff() {
    Autograd.offOnThisThread();
  }

  /** torch.optim.AdamW written out (lossbench's AdamW before the fused update). */
  private static void referenceAdamW(Map<String, NDArray> params, Map<String, NDArray> grads, Map<String, NDArray> m,
      Map<String, NDArray> v, long step, double lr, double wd) {
    double b1 = 0.9;
    double b2 = 0.999;
    double c1 = 1 - Math.pow(b1, step);
    double c2 = 1 - Math.pow(b2, step);
    try (NDScope scope = new NDScope()) {
      for (String k : params.keySet()) {
        NDArray p = params.get(k);
        NDArray g = grads.get(k);
        m.get(k).muli(b1).addi(g.mul(1 - b1));
        v.get(k).muli(b2).addi(g.square().mul(1 - b2));
        p.muli(1 - lr * wd);
        p.subi(m.get(k).div(c1).div(v.get(k).div(c2).sqrt().add(1e-8)).mul(lr));
      }
    }
  }

  @Test
  void fusedAdamWEqualsTorchAdamW() {
    try (NDManager nd = NDManager.newBaseManager()) {
      SplittableRandom rnd = new SplittableRandom(5);
      Map<String, NDArray> a = new LinkedHashMap<>();
      Map<String, NDArray> b = new LinkedHashMap<>();
      Map<String, NDArray> m = new LinkedHashMap<>();
      Map<String, NDArray> v = new LinkedHashMap<>();
      for (String k : new String[]{"w", "bias"}) {
        float[] init = new float[k.equals("w") ? 64 : 7];
        for (int i = 0; i < init.length; i++) {
          init[i] = (float) (rnd.nextDouble() - 0.5);
        }
        a.put(k, nd.create(init));
        b.put(k, nd.create(init));
        m.put(k, nd.zeros(new Shape(init.length)));
        v.put(k, nd.zeros(new Shape(init.length)));
      }
      try (AdamW fused = new AdamW(nd, a, 0.05)) {
        for (int step = 1; step <= 30; step++) {
          Map<String, NDArray> grads = new LinkedHashMap<>();
          for (String k : a.keySet()) {
            float[] g = new float[Math.toIntExact(a.get(k).size())];
            for (int i = 0; i < g.length; i++) {
              g[i] = (float) ((rnd.nextDouble() - 0.5) * (step % 7 + 1) * 1e-2);
            }
            grads.put(k, nd.create(g));
          }
          double lr = step < 10 ? 1e-3 : 2e-4;
          fused.step(a, grads, lr);
          referenceAdamW(b, grads, m, v, step, lr, 0.05);
        }
        for (String k : a.keySet()) {
          float[] x = a.get(k).toFloatArray();
          float[] y = b.get(k).toFloatArray();
          for (int i = 0; i < x.length; i++) {
            assertEquals(y[i], x[i], 1e-6 * Math.max(1, Math.abs(y[i])), k + "[" + i + "]");
          }
        }
        // the moments keep their names and sizes (checkpoint format)
        Map<String, float[]> state = fused.state();
        assertEquals(java.util.List.of("w.m", "bias.m", "w.v", "bias.v"), java.util.List.copyOf(state.keySet()));
        assertArrayEquals(m.get("w").toFloatArray(), state.get("w.m"), 1e-6f);
      }
    }
  }

  static RegionBatch regions(int b, int r, int d) {
    SplittableRandom rnd = new SplittableRandom(11);
    float[] f = new float[b * r * d];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) rnd.nextDouble();
    }
    int[] valid = new int[b];
    java.util.Arrays.fill(valid, r);
    return new RegionBatch(b, r, d, f, valid);
  }

  static TokenBatch tokens(int b, int t, int vocab) {
    SplittableRandom rnd = new SplittableRandom(13);
    int[] ids = new int[b * t];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 2 + rnd.nextInt(vocab - 2);
    }
    int[] lengths = new int[b];
    java.util.Arrays.fill(lengths, t);
    return new TokenBatch(b, t, ids, lengths);
  }

  /** The step as it was before issue #15: two host reads (loss, gradient norm), host-side clipping, number operands. */
  private static void previousStep(NDManager manager, DualEncoder model, Map<String, NDArray> m, Map<String, NDArray> v,
      long[] stepCount, RetrievalLoss loss, RegionBatch regions, TokenBatch tokens, long[] groups) {
    try (NDScope scope = new NDScope(); NDManager sm = manager.newSubManager()) {
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray[] pair = model.encodePairs(sm, regions, tokens, true);
        NDArray l = loss.loss(pair[0].matMul(pair[1].transpose()), PairMask.ofGroups(groups),
            new LossContext(1, model.logitScale()));
        HostReads.doubles(l);
        gc.backward(l);
      }
      Map<String, NDArray> params = model.parameterArrays();
      Map<String, NDArray> grads = new LinkedHashMap<>();
      NDArray sumSq = null;
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray g = e.getValue().getGradient();
        grads.put(e.getKey(), g);
        NDArray s = g.square().sum();
        sumSq = sumSq == null ? s : sumSq.add(s);
      }
      double norm = Math.sqrt(HostReads.doubles(sumSq)[0]);
      if (norm > 2.0) {
        double scale = 2.0 / (norm + 1e-6);
        grads.values().forEach(g -> g.muli(scale));
      }
      referenceAdamW(params, grads, m, v, ++stepCount[0], 2e-4, 1e-4);
      grads.values().forEach(g -> g.subi(g));
    }
  }

  @Test
  void theStepReadsTheHostAtMostOncePerStep(@TempDir Path scratch) {
    org.junit.jupiter.api.Assumptions.assumeTrue(OpProfile.available());
    int b = 8;
    RegionBatch regions = regions(b, 6, 24);
    TokenBatch tokens = tokens(b, 6, 50);
    long[] groups = new long[b];
    for (int i = 0; i < b; i++) {
      groups[i] = i;
    }
    RetrievalLoss loss = LossSpec.parse("triplet-hn").create();
    try (NDManager nd = NDManager.newBaseManager();
        DualEncoder before = new DualEncoder(nd, ModelSpec.parse(SPEC), 24, 50, 0.07, 7);
        DualEncoder after = new DualEncoder(nd, ModelSpec.parse(SPEC), 24, 50, 0.07, 7);
        AdamW optimizer = new AdamW(nd, after.parameterArrays(), 1e-4)) {
      Map<String, NDArray> m = new LinkedHashMap<>();
      Map<String, NDArray> v = new LinkedHashMap<>();
      before.parameterArrays().forEach((k, p) -> {
        m.put(k, nd.zeros(p.getShape(), DataType.FLOAT32));
        v.put(k, nd.zeros(p.getShape(), DataType.FLOAT32));
      });
      long[] count = {0};
      Runnable old = () -> previousStep(nd, before, m, v, count, loss, regions, tokens, groups);
      old.run();
      OpProfile.Counts was = OpProfile.count(old, 3, scratch);

      TrainingStep every = new TrainingStep(after, loss, optimizer, name -> false, 2.0, 2e-4, 1, 0, 0);
      int[] step = {0};
      Runnable now = () -> every.run(nd, regions, tokens, groups, 1, 0, step[0]++, 2e-4);
      now.run();
      OpProfile.Counts is = OpProfile.count(now, 3, scratch);

      TrainingStep sparse = new TrainingStep(after, loss, optimizer, name -> false, 2.0, 2e-4, 4, 0, 0);
      int[] s2 = {0};
      Runnable rare = () -> sparse.run(nd, regions, tokens, groups, 1, 0, s2[0]++, 2e-4);
      OpProfile.Counts every4 = OpProfile.count(rare, 4, scratch);

      System.out.printf(
          "training step (%s, batch %d, triplet-hn, clip, AdamW; %d parameters): before %.1f ops, %.1f host reads"
              + " per step; after %.1f ops, %.1f host reads per step (loss read every step), %.2f host reads per step (every 4)%n",
          SPEC, b, after.parameterArrays().size(), was.opsPerRun(), was.hostReadsPerRun(), is.opsPerRun(),
          is.hostReadsPerRun(),
          every4.hostReadsPerRun());
      System.out.println("after, ops by name: " + is.byName());
      assertTrue(was.hostReadsPerRun() >= 2, "the previous step read the loss and the norm: " + was.hostReadsPerRun());
      assertTrue(is.hostReadsPerRun() <= 1, "host reads per step " + is.hostReadsPerRun());
      assertEquals(0.25, every4.hostReadsPerRun(), 1e-9);
      assertTrue(is.opsPerRun() < was.opsPerRun(),
          "ops per step " + is.opsPerRun() + " vs " + was.opsPerRun() + " before");
      assertTrue(is.opsPerRun() > 50, "the profiler saw the step's operations: " + is.opsPerRun());
    }
  }

  @Test
  void readingEveryFewStepsSumsTheSameEpochFigures() {
    int b = 8;
    RegionBatch regions = regions(b, 6, 24);
    TokenBatch tokens = tokens(b, 6, 50);
    long[] groups = new long[b];
    for (int i = 0; i < b; i++) {
      groups[i] = i;
    }
    RetrievalLoss loss = LossSpec.parse("triplet-hn").create();
    double[][] sums = new double[2][2];
    int[] checks = {1, 3};
    for (int c = 0; c < 2; c++) {
      try (NDManager nd = NDManager.newBaseManager();
          DualEncoder model = new DualEncoder(nd, ModelSpec.parse(SPEC), 24, 50, 0.07, 7);
          AdamW optimizer = new AdamW(nd, model.parameterArrays(), 1e-4)) {
        TrainingStep s = new TrainingStep(model, loss, optimizer, name -> false, 2.0, 2e-4, checks[c], 7, 0);
        for (int step = 0; step < 7; step++) {
          TrainingStep.Result r = s.run(nd, regions, tokens, groups, 1, 0, step, 2e-4);
          sums[c][0] += r.lossSum();
          sums[c][1] += r.gradNormSum();
        }
      }
    }
    assertEquals(sums[0][0], sums[1][0], 1e-5 * Math.abs(sums[0][0]));
    assertEquals(sums[0][1], sums[1][1], 1e-5 * Math.abs(sums[0][1]));
  }
}
