package dev.lossbench.retrieval.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.TokenBatch;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export a GPU takes — through a CPU copy of the module with the current parameters copied in —
 * forced on the CPU: the file loads, holds CPU tensors with the model's current values, and gives
 * the same embeddings.
 */
class TorchScriptExportTest {

  @Test
  void theExportThroughACpuCopyHoldsTheCurrentParametersAsCpuTensors(@TempDir Path dir) throws java.io.IOException {
    Path viaCopy = dir.resolve("via-copy.pt");
    Path direct = dir.resolve("direct.pt");
    ModelSpec spec = TorchScriptFixture.spec();
    RegionBatch images = TorchScriptDualEncoderTest.referenceImages();
    com.fasterxml.jackson.databind.JsonNode ref = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(TorchScriptFixture.resource("clip_tiny_reference.json").toFile());
    int[] ids = new int[12];
    int[] lengths = new int[2];
    for (int b = 0; b < 2; b++) {
      for (int t = 0; t < 6; t++) {
        ids[b * 6 + t] = ref.get("token_ids").get(b).get(t).asInt();
        lengths[b] += ref.get("attention_mask").get(b).get(t).asInt();
      }
    }
    TokenBatch texts = new TokenBatch(2, 6, ids, lengths);
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptDualEncoder model = TorchScriptDualEncoder.load(m, spec, true)) {
      // current parameters that differ from the source file's: the copy must carry them, not the file's
      Map<String, float[]> moved = model.parameterValues();
      moved.replaceAll((name, v) -> {
        float[] w = v.clone();
        for (int i = 0; i < w.length; i++) {
          w[i] = w[i] * 0.9f + (float) Math.sin(i) * 1e-3f;
        }
        return w;
      });
      model.loadParameters(moved, "test");

      assertTrue(model.exportSerialised(viaCopy, true));
      assertTrue(model.exportSerialised(direct, false));
      float[] img = model.encodeImages(m, images, false).toFloatArray();
      float[] txt = model.encodeTexts(m, texts, false).toFloatArray();

      // the file's tensors where they were saved (no map location): on the CPU
      try (PtNDManager cpu = (PtNDManager) NDManager.newBaseManager(Device.cpu())) {
        PtSymbolBlock raw = JniUtils.loadModule(cpu, viaCopy, false, new String[0], new String[0], false);
        try {
          int n = 0;
          for (Pair<String, Parameter> p : raw.getDirectParameters()) {
            NDArray a = p.getValue().getArray();
            assertEquals(Device.cpu(), a.getDevice(), p.getKey());
            assertArrayEquals(moved.get(p.getKey()), a.toFloatArray(), 0f, p.getKey() + " holds the current values");
            n++;
          }
          assertEquals(moved.size(), n, "every parameter");
        } finally {
          raw.close();
        }
      }

      for (Path file : new Path[]{viaCopy, direct}) {
        try (TorchScriptDualEncoder reloaded = TorchScriptDualEncoder.load(m, file, TorchScriptSpec.of(spec), true)) {
          assertArrayEquals(img, reloaded.encodeImages(m, images, false).toFloatArray(), 0f,
              file + ": image embeddings");
          assertArrayEquals(txt, reloaded.encodeTexts(m, texts, false).toFloatArray(), 0f,
              file + ": caption embeddings");
          reloaded.parameterArrays().forEach((k, a) -> assertTrue(a.getDevice().equals(Device.cpu()), k));
        }
      }
    }
  }
}
