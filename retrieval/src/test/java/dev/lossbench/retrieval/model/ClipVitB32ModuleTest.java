package dev.lossbench.retrieval.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.data.HuggingFaceCaptionTokenizer;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.TokenBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real-size module of fixtures/torchscript/make_clip_vit_b32.py passes lossbench's contract check at CLIP's sizes
 * (224 px, 77 tokens) with its tokenizer, as a matrix naming it would. The module (≈ 605 MB) is not checked in: the
 * test runs where {@code LOSSBENCH_CLIP_VIT_B32} names the generator's output directory, and is skipped elsewhere.
 */
class ClipVitB32ModuleTest {
  static final String DIRECTORY = "LOSSBENCH_CLIP_VIT_B32";

  @Test
  void theGeneratedModulePassesTheContractAtClipSizes() {
    String dir = System.getenv(DIRECTORY);
    assumeTrue(dir != null && !dir.isBlank(),
        DIRECTORY + " is not set (run fixtures/torchscript/make_clip_vit_b32.py --out DIR)");
    Path module = Path.of(dir, "clip_vit_b32.pt");
    Path tokenizer = Path.of(dir, "tokenizer.json");
    assertTrue(Files.isRegularFile(module) && Files.isRegularFile(tokenizer),
        dir + " lacks clip_vit_b32.pt or tokenizer.json");
    ModelSpec spec = ModelSpec.of("torchscript", Map.of("path", module.toString(), "tokenizer", tokenizer.toString(),
        "image_size", 224, "max_words", 77));
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptDualEncoder model = TorchScriptDualEncoder.load(m, spec, true);
        HuggingFaceCaptionTokenizer tok = HuggingFaceCaptionTokenizer.open(tokenizer, 77)) {
      assertEquals(512, model.embedDim());
      assertEquals(151_277_313L, model.parameterArrays().values().stream().mapToLong(p -> p.getShape().size()).sum());
      model.checkTokenizer(tok);
      TokenBatch captions = tok.encode(List.of("a red cube in the upper left corner .", "two small spheres"));
      assertEquals(77, captions.length());
      RegionBatch images = new RegionBatch(2, 1, 3 * 224 * 224, new float[2 * 3 * 224 * 224], new int[]{1, 1});
      float[][] both = {model.encodeImages(m, images, false).toFloatArray(),
          model.encodeTexts(m, captions, false).toFloatArray()};
      for (float[] e : both) {
        assertEquals(2 * 512, e.length);
        double norm = 0;
        for (int i = 0; i < 512; i++) {
          norm += e[i] * e[i];
        }
        assertEquals(1, norm, 1e-4, "L2-normalised");
      }
    }
  }
}
