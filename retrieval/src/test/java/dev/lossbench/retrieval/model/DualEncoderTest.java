package dev.lossbench.retrieval.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.TokenBatch;
import dev.lossbench.retrieval.loss.LossContext;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.loss.PairMask;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DualEncoderTest {

  static RegionBatch regions(int b, int r, int d, int[] valid, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] f = new float[b * r * d];
    for (int i = 0; i < b; i++) {
      for (int k = 0; k < valid[i] * d; k++) {
        f[i * r * d + k] = (float) (rnd.nextDouble() - 0.5);
      }
    }
    return new RegionBatch(b, r, d, f, valid);
  }

  static TokenBatch tokens(int b, int t, int vocab, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] ids = new int[b * t];
    int[] lengths = new int[b];
    for (int i = 0; i < b; i++) {
      lengths[i] = 1 + rnd.nextInt(t);
      for (int k = 0; k < lengths[i]; k++) {
        ids[i * t + k] = 2 + rnd.nextInt(vocab - 2);
      }
    }
    return new TokenBatch(b, t, ids, lengths);
  }

  @ParameterizedTest
  @ValueSource(strings = {"vse-gpo:embed_dim=16,word_dim=8", "vse-mean:embed_dim=16,word_dim=8",
      "vse-max:embed_dim=16,word_dim=8,mlp=false",
      "meanp:embed_dim=16,word_dim=8", "frozen-mlp:embed_dim=16,word_dim=8,hidden=12"})
  void embeddingsAreUnitLengthAndEveryParameterGetsAGradient(String specText) {
    ModelSpec spec = ModelSpec.parse(specText);
    int r = spec.name() == ModelSpec.Name.FROZEN_MLP ? 1 : 5;
    int b = 6;
    int[] valid = new int[b];
    for (int i = 0; i < b; i++) {
      valid[i] = r == 1 ? 1 : 1 + i % r;
    }
    try (NDManager m = NDManager.newBaseManager();
        DualEncoder model = new DualEncoder(m, spec, 7, 20, 0.07, 3)) {
      try (NDManager scope = m.newSubManager();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray img = model.encodeImages(scope, regions(b, r, 7, valid, 1), true);
        NDArray txt = model.encodeTexts(scope, tokens(b, 9, 20, 2), true);
        assertArrayEquals(new long[]{b, 16}, img.getShape().getShape());
        assertArrayEquals(new long[]{b, 16}, txt.getShape().getShape());
        for (float n : img.square().sum(new int[]{1}).toFloatArray()) {
          assertEquals(1f, n, 1e-5f);
        }
        NDArray loss = LossSpec.parse("infonce:learnable=true").create()
            .loss(img.matMul(txt.transpose()), PairMask.distinct(b), new LossContext(0, model.logitScale()));
        gc.backward(loss);
      }
      for (Map.Entry<String, NDArray> e : model.parameters().arrays().entrySet()) {
        if (e.getKey().equals("text.embedding")) {
          continue; // only the rows of words in the batch get gradients; checked below
        }
        float g = e.getValue().getGradient().abs().sum().getFloat();
        if (e.getKey().equals("image.gpo.score.bias")) {
          // GPO's weights are a softmax over positions: a bias shared by every position cancels,
          // so its true gradient is zero (what reaches it is rounding, or exactly nothing)
          assertTrue(g < 1e-5, specText + ": gradient " + g + " on a softmax-invariant bias");
          continue;
        }
        assertTrue(g > 0, specText + ": no gradient reached " + e.getKey());
      }
      assertTrue(model.parameters().get("text.embedding").getGradient().abs().sum().getFloat() > 0);
    }
  }

  @Test
  void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
    ModelSpec spec = ModelSpec.parse("vse-gpo:embed_dim=8,word_dim=4");
    try (NDManager m = NDManager.newBaseManager();
        DualEncoder a = new DualEncoder(m, spec, 5, 10, 0, 42);
        DualEncoder b = new DualEncoder(m, spec, 5, 10, 0, 42);
        DualEncoder c = new DualEncoder(m, spec, 5, 10, 0, 43)) {
      Map<String, float[]> sa = a.parameters().snapshot();
      Map<String, float[]> sb = b.parameters().snapshot();
      Map<String, float[]> sc = c.parameters().snapshot();
      for (String k : sa.keySet()) {
        assertArrayEquals(sa.get(k), sb.get(k), k);
      }
      assertFalse(java.util.Arrays.equals(sa.get("image.fc.weight"), sc.get("image.fc.weight")));
      assertNull(a.logitScale());
    }
  }

  @Test
  void regionDroppingKeepsAtLeastOneRegionAndMovesKeptOnesToTheFront() {
    ModelSpec spec = ModelSpec.parse("vse-mean:region_drop=0.5,embed_dim=8,word_dim=4");
    try (NDManager m = NDManager.newBaseManager(); DualEncoder model = new DualEncoder(m, spec, 2, 10, 0, 1)) {
      int b = 50;
      int[] valid = new int[b];
      java.util.Arrays.fill(valid, 4);
      RegionBatch in = regions(b, 4, 2, valid, 9);
      RegionBatch out = model.dropRegions(in, new SplittableRandom(5));
      int total = 0;
      for (int i = 0; i < b; i++) {
        int v = out.validRegions()[i];
        assertTrue(v >= 1 && v <= 4);
        total += v;
        for (int k = v * 2; k < 8; k++) {
          assertEquals(0f, out.features()[out.offset(i) + k], "dropped slots are zero");
        }
      }
      assertTrue(total > 50 && total < 200, "about half the regions kept, got " + total);
      RegionBatch again = model.dropRegions(in, new SplittableRandom(5));
      assertArrayEquals(out.features(), again.features(), "a function of the generator alone");
    }
  }
}
