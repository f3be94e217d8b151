package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.TokenBatch;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.loss.InfoNceLoss;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.loss.RetrievalLoss;
import dev.lossbench.retrieval.model.DualEncoder;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.model.TorchScriptFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A learnable temperature is clamped on the parameter after each step, CLIP-style: {@code infonce:learnable=true,
 * tau=0.005} (1/τ = 200, above the cap of 100) used to get a zero gradient for good, since the loss clipped
 * exp(logit_scale) in the forward pass; now the step pulls the parameter back to ln 100 and it keeps learning.
 */
class LearnableScaleTest {
  private static final double LN_100 = Math.log(InfoNceLoss.MAX_LOGIT_SCALE);

  @BeforeAll
  static void gradOff() {
    Autograd.offOnThisThread();
  }

  @Test
  void aTemperatureStartingAboveTheCapIsClampedAfterTheStepAndKeepsLearning() {
    int b = 8;
    RegionBatch regions = TrainingStepOnDeviceTest.regions(b, 6, 24);
    TokenBatch tokens = TrainingStepOnDeviceTest.tokens(b, 6, 50);
    long[] groups = new long[b];
    for (int i = 0; i < b; i++) {
      groups[i] = i;
    }
    RetrievalLoss loss = LossSpec.parse("infonce:learnable=true,tau=0.005").create();
    try (NDManager nd = NDManager.newBaseManager();
        DualEncoder model = new DualEncoder(nd, ModelSpec.parse("vse-mean:embed_dim=16,word_dim=8"), 24, 50,
            loss.initialTemperature(), 3);
        AdamW optimizer = new AdamW(nd, model.parameterArrays(), 1e-4)) {
      assertEquals(Math.log(200), model.logitScale().getFloat(), 1e-5, "starts at log(1/τ)");
      // a large learning rate so that the scale visibly moves each step
      TrainingStep step = new TrainingStep(model, loss, optimizer, name -> false, 0, 0.05, 1, 0, 0);
      float[] scales = new float[6];
      for (int s = 0; s < scales.length; s++) {
        step.run(nd, regions, tokens, groups, s, 0, s, 0.05);
        scales[s] = model.logitScale().getFloat();
        assertTrue(scales[s] <= LN_100 + 1e-6 && scales[s] >= 0, "clamped to [0, ln 100]: " + scales[s]);
      }
      boolean moved = false;
      for (int s = 1; s < scales.length; s++) {
        moved |= scales[s] != scales[s - 1];
      }
      assertTrue(moved, "the scale keeps getting gradients after the clamp: " + java.util.Arrays.toString(scales));
      assertNotEquals(Math.log(200), scales[0], 1e-3);
    }
  }

  /**
   * A torchscript model with {@code learnable_scale}: the unified loss's γ used to be ignored (the module's own scale
   * was used while labels and ids carried γ); now the scale starts at the spec's γ (InfoNCE: 1/τ).
   */
  @Test
  void aModelsLearnableScaleStartsAtTheSpecsGammaOrTemperature() {
    ModelSpec spec = TorchScriptFixture.spec("learnable_scale", true);
    try (NDManager nd = NDManager.newBaseManager()) {
      var unified = ModelAssembly.createModel(nd, spec, LossSpec.parse("unified:gamma=30,margin=0.2"), 0, 0, 1);
      assertEquals(Math.log(30), unified.logitScale().getFloat(), 1e-5);
      var infonce = ModelAssembly.createModel(nd, spec, LossSpec.parse("infonce:learnable=true,tau=0.05"), 0, 0, 1);
      assertEquals(Math.log(20), infonce.logitScale().getFloat(), 1e-5);
      unified.close();
      infonce.close();
    }
  }
}
