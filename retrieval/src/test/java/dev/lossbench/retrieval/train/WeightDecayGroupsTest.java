package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.model.ParameterGroups;
import dev.lossbench.retrieval.model.TorchScriptDualEncoder;
import dev.lossbench.retrieval.model.TorchScriptFixture;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AdamW's weight decay spares a TorchScript module's logit scale, norms and biases, as CLIP and open_clip do.
 * Today it shrank them too: with weight_decay 0.2 (CLIP's) the temperature and every LayerNorm drifted to 0.
 */
class WeightDecayGroupsTest {
  @Test
  void aTorchScriptModuleDecaysOnlyItsMatricesAsOpenClipDoes() {
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptDualEncoder model = TorchScriptDualEncoder.load(m, TorchScriptFixture.spec(), true)) {
      ParameterGroups groups = model.parameterGroups();
      int decayed = 0;
      for (Map.Entry<String, NDArray> e : model.parameterArrays().entrySet()) {
        String name = e.getKey();
        int dims = e.getValue().getShape().dimension();
        boolean decays = groups.decays(name, dims);
        if (name.equals(TorchScriptDualEncoder.LOGIT_SCALE) || name.endsWith(".bias") || dims < 2) {
          assertFalse(decays, name + " " + e.getValue().getShape());
        } else if (!name.contains("ln") && !name.contains("bn")) {
          assertTrue(decays, name + " " + e.getValue().getShape());
          decayed++;
        }
      }
      assertTrue(decayed > 0, "the fixture's matrices decay");
      assertTrue(model.parameterArrays().containsKey(TorchScriptDualEncoder.LOGIT_SCALE));
    }
  }

  @Test
  void parametersTheGroupsSpareAreNotDecayed() {
    Autograd.offOnThisThread();
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("proj.weight", m.ones(new Shape(2, 2)));
      params.put("ln_final.weight", m.ones(new Shape(2)));
      params.put("logit_scale", m.ones(new Shape()));
      Map<String, NDArray> grads = new LinkedHashMap<>();
      params.forEach((k, v) -> grads.put(k, m.zeros(v.getShape())));
      try (AdamW adam = new AdamW(m, params, 0.5,
          name -> ParameterGroups.clipDecays(name, params.get(name).getShape().dimension()))) {
        adam.step(params, grads, 0.1);
      }
      // zero gradients: only the decay p ← p − lr·wd·p moves a parameter
      assertArrayEquals(new float[]{0.95f, 0.95f, 0.95f, 0.95f}, params.get("proj.weight").toFloatArray(), 1e-7f);
      assertArrayEquals(new float[]{1f, 1f}, params.get("ln_final.weight").toFloatArray(), 0f);
      assertArrayEquals(new float[]{1f}, params.get("logit_scale").toFloatArray(), 0f);
    }
  }
}
