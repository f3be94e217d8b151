package dev.lossbench.retrieval.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.train.AdamW;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GRU's parameters live in one contiguous buffer (cuDNN's layout) as views: same names,
 * shapes, values, outputs and gradients as four separate tensors; the buffer is their storage.
 */
class GruBufferTest {
  private static final int IN = 5;
  private static final int HIDDEN = 7;

  @BeforeAll
  static void gradOff() {
    Autograd.offOnThisThread();
  }

  /** The previous formulation: four separate tensors, drawn in the same order from the same generator. */
  private static void declareSeparate(ParameterSet p, String name, SplittableRandom rnd) {
    double bound = 1 / Math.sqrt(HIDDEN);
    p.uniform(name + ".w_ih", new Shape(3L * HIDDEN, IN), bound, rnd);
    p.uniform(name + ".w_hh", new Shape(3L * HIDDEN, HIDDEN), bound, rnd);
    p.uniform(name + ".b_ih", new Shape(3L * HIDDEN), bound, rnd);
    p.uniform(name + ".b_hh", new Shape(3L * HIDDEN), bound, rnd);
  }

  private static NDArray input(NDManager m) {
    SplittableRandom rnd = new SplittableRandom(11);
    float[] x = new float[3 * 4 * IN];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextDouble() - 0.5);
    }
    return m.create(x, new Shape(3, 4, IN));
  }

  /** Output of the GRU and every parameter's gradient of a weighted sum of it. */
  private static Map<String, float[]> outputAndGradients(ParameterSet p, NDManager m) {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NDManager scope = m.newSubManager()) {
      NDArray x = input(scope);
      NDArray weights = scope.arange(3f * 4 * HIDDEN).reshape(3, 4, HIDDEN).div(100f).sin();
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = Layers.gru(p, "g", x, HIDDEN, true);
        out.put("output", y.toFloatArray());
        gc.backward(y.mul(weights).sum());
      }
      p.arrays().forEach((name, a) -> out.put(name + ".grad", a.getGradient().toFloatArray()));
    }
    return out;
  }

  @Test
  void packedGruHasTheSameNamesShapesValuesOutputsAndGradientsAsSeparateTensors() {
    try (NDManager m = NDManager.newBaseManager();
        ParameterSet separate = new ParameterSet(m);
        ParameterSet packed = new ParameterSet(m)) {
      declareSeparate(separate, "g", new SplittableRandom(3));
      Layers.declareGru(packed, "g", IN, HIDDEN, new SplittableRandom(3));
      assertEquals(List.copyOf(separate.arrays().keySet()), List.copyOf(packed.arrays().keySet()),
          "names, in declaration order");
      assertEquals(separate.count(), packed.count(), "parameter count");
      separate.arrays().forEach((k, a) -> assertEquals(a.getShape(), packed.get(k).getShape(), k));
      Map<String, float[]> sv = separate.snapshot();
      Map<String, float[]> pv = packed.snapshot();
      sv.forEach((k, v) -> assertArrayEquals(v, pv.get(k), k));

      Map<String, float[]> a = outputAndGradients(separate, m);
      Map<String, float[]> b = outputAndGradients(packed, m);
      assertEquals(a.keySet(), b.keySet());
      a.forEach((k, v) -> assertArrayEquals(v, b.get(k), 1e-6f, k));
    }
  }

  @Test
  void theParametersAreViewsOfOneContiguousBufferInCudnnOrder() {
    try (NDManager m = NDManager.newBaseManager(); ParameterSet p = new ParameterSet(m)) {
      Layers.declareGru(p, "g", IN, HIDDEN, new SplittableRandom(3));
      assertEquals(Map.of("g", List.of("g.w_ih", "g.w_hh", "g.b_ih", "g.b_hh")), p.packedBuffers());
      NDArray buffer = p.buffer("g");
      assertEquals(new Shape(p.count()), buffer.getShape(), "one flat buffer, no gaps");
      assertFalse(buffer.hasGradient(), "the views are the leaves; the buffer records nothing");
      assertFalse(p.arrays().containsKey("g"), "the buffer is not a parameter of its own");
      assertBufferIsItsViews(p);

      // writing the buffer changes the views
      buffer.muli(0).addi(m.arange((float) p.count()));
      float[] wIh = p.get("g.w_ih").toFloatArray();
      float[] bHh = p.get("g.b_hh").toFloatArray();
      assertEquals(0f, wIh[0]);
      assertEquals(wIh.length - 1, wIh[wIh.length - 1], 0f);
      assertEquals(p.count() - 1, bHh[bHh.length - 1], 0f, "the last bias ends the buffer");
      assertEquals(3L * HIDDEN * (IN + HIDDEN), (long) p.get("g.b_ih").toFloatArray()[0], "b_ih follows w_hh");

      // writing a view changes the buffer
      p.get("g.w_hh").muli(0);
      float[] all = buffer.toFloatArray();
      assertEquals(0f, all[3 * HIDDEN * IN]);
      assertEquals(3f * HIDDEN * IN - 1, all[3 * HIDDEN * IN - 1]);
    }
  }

  @Test
  void adamWUpdatesLandInTheBufferAndTheViewsStayLeaves() {
    try (NDManager m = NDManager.newBaseManager();
        ParameterSet p = new ParameterSet(m);
        NDManager om = m.newSubManager()) {
      Layers.declareGru(p, "g", IN, HIDDEN, new SplittableRandom(3));
      float[] before = p.buffer("g").toFloatArray();
      AdamW adam = new AdamW(om, p.arrays(), 0.01);
      for (int step = 0; step < 2; step++) {
        outputAndGradients(p, m);
        Map<String, NDArray> grads = new LinkedHashMap<>();
        p.arrays().forEach((k, a) -> grads.put(k, a.getGradient()));
        adam.step(p.arrays(), grads, 1e-2);
        p.arrays().values().forEach(a -> a.getGradient().subi(a.getGradient()));
      }
      assertFalse(java.util.Arrays.equals(before, p.buffer("g").toFloatArray()), "the update moved the buffer");
      assertBufferIsItsViews(p);
      p.arrays().values().forEach(a -> assertTrue(a.hasGradient()));
    }
  }

  @Test
  void loadingFillsANewBufferAndTheSnapshotRoundTrips() {
    try (NDManager m = NDManager.newBaseManager();
        DualEncoder a = new DualEncoder(m, ModelSpec.parse("vse-gpo:embed_dim=8,word_dim=4"), 5, 10, 0.07, 1);
        DualEncoder b = new DualEncoder(m, ModelSpec.parse("vse-gpo:embed_dim=8,word_dim=4"), 5, 10, 0.07, 2)) {
      Map<String, List<String>> buffers = new java.util.HashMap<>();
      for (String g : List.of("text.gru_fwd", "text.gru_bwd", "image.gpo.gru_fwd", "image.gpo.gru_bwd")) {
        buffers.put(g, Layers.gruWeights(g));
      }
      assertEquals(buffers, a.parameters().packedBuffers(), "every GRU of the model (text BiGRU, GPO's BiGRU) packed");
      Map<String, float[]> saved = a.parameterValues();
      assertTrue(saved.keySet().containsAll(List.of("text.gru_fwd.w_ih", "text.gru_bwd.b_hh")),
          saved.keySet().toString());
      assertFalse(saved.containsKey("text.gru_fwd"), "checkpoints hold the named parameters, not the buffers");
      b.loadParameters(saved, "test");
      Map<String, float[]> loaded = b.parameterValues();
      assertEquals(saved.keySet(), loaded.keySet());
      saved.forEach((k, v) -> assertArrayEquals(v, loaded.get(k), k));
      assertBufferIsItsViews(b.parameters());
      // the same embeddings from both
      try (NDManager scope = m.newSubManager()) {
        var tokens = DualEncoderTest.tokens(4, 5, 10, 7);
        // equal up to the last bit of float rounding (seen: 1 ulp; libtorch's CPU kernels may split sums differently)
        assertArrayEquals(a.encodeTexts(scope, tokens, false).toFloatArray(),
            b.encodeTexts(scope, tokens, false).toFloatArray(), 1e-6f);
      }
    }
  }

  /** Each packed buffer holds exactly its views' values, in order, and writing it shows through them. */
  private static void assertBufferIsItsViews(ParameterSet p) {
    p.packedBuffers().forEach((buffer, names) -> {
      NDList parts = new NDList();
      names.forEach(n -> parts.add(p.get(n).flatten()));
      float[] concatenated = ai.djl.ndarray.NDArrays.concat(parts).toFloatArray();
      assertArrayEquals(concatenated, p.buffer(buffer).toFloatArray(), buffer);
      parts.close();
      NDArray buf = p.buffer(buffer);
      buf.addi(1);
      float[] shifted = p.get(names.get(0)).toFloatArray();
      buf.subi(1);
      assertEquals(concatenated[0] + 1, shifted[0], 1e-6f, "the views read the buffer's storage");
    });
  }
}
