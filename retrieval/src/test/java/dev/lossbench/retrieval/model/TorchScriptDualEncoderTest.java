package dev.lossbench.retrieval.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.HuggingFaceCaptionTokenizer;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.TokenBatch;
import dev.lossbench.retrieval.params.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture loads in DJL with PyTorch's outputs; broken contracts are named on load. */
class TorchScriptDualEncoderTest {

  static RegionBatch referenceImages() {
    float[] px = new float[2 * 3 * 64 * 64];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) Math.sin(i * 0.01);
    }
    return new RegionBatch(2, 1, 3 * 64 * 64, px, new int[]{1, 1});
  }

  static float[] normalisedRows(JsonNode rows) {
    int n = rows.size();
    int d = rows.get(0).size();
    float[] out = new float[n * d];
    for (int r = 0; r < n; r++) {
      double norm = 0;
      for (int c = 0; c < d; c++) {
        norm += rows.get(r).get(c).asDouble() * rows.get(r).get(c).asDouble();
      }
      for (int c = 0; c < d; c++) {
        out[r * d + c] = (float) (rows.get(r).get(c).asDouble() / Math.sqrt(norm));
      }
    }
    return out;
  }

  @Test
  void theFixtureGivesPyTorchsEmbeddings() throws IOException {
    JsonNode ref = new ObjectMapper().readTree(TorchScriptFixture.resource("clip_tiny_reference.json").toFile());
    int[] ids = new int[12];
    int[] lengths = new int[2];
    for (int b = 0; b < 2; b++) {
      for (int t = 0; t < 6; t++) {
        ids[b * 6 + t] = ref.get("token_ids").get(b).get(t).asInt();
        lengths[b] += ref.get("attention_mask").get(b).get(t).asInt();
      }
    }
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptDualEncoder model = TorchScriptDualEncoder.load(m, TorchScriptFixture.spec(), true)) {
      assertEquals(64, model.embedDim());
      assertArrayEquals(normalisedRows(ref.get("image_embeddings")),
          model.encodeImages(m, referenceImages(), false).toFloatArray(), 1e-5f);
      assertArrayEquals(normalisedRows(ref.get("text_embeddings")),
          model.encodeTexts(m, new TokenBatch(2, 6, ids, lengths), false).toFloatArray(), 1e-5f);
      assertEquals(ref.get("logit_scale").asDouble(), model.logitScale().toFloatArray()[0], 1e-6);
      assertTrue(
          model.parameterArrays().keySet()
              .containsAll(List.of("logit_scale", "visual.patch_embed.weight", "text.token.weight")),
          model.parameterArrays().keySet().toString());
      assertTrue(model.parameterArrays().values().stream().allMatch(NDArray::hasGradient),
          "trainParam=true makes them trainable");
    }
  }

  @Test
  void dropoutIsOnInTrainingAndOffInEvaluation() {
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptDualEncoder model = TorchScriptDualEncoder.load(m, TorchScriptFixture.spec(), false)) {
      RegionBatch images = referenceImages();
      float[] eval1 = model.encodeImages(m, images, false).toFloatArray();
      float[] eval2 = model.encodeImages(m, images, false).toFloatArray();
      float[] train1 = model.encodeImages(m, images, true).toFloatArray();
      float[] train2 = model.encodeImages(m, images, true).toFloatArray();
      assertArrayEquals(eval1, eval2, "evaluation is deterministic");
      assertFalse(java.util.Arrays.equals(train1, train2), "two training passes draw different dropout masks");
      model.beginStep(42);
      float[] seeded1 = model.encodeImages(m, images, true).toFloatArray();
      model.beginStep(42);
      float[] seeded2 = model.encodeImages(m, images, true).toFloatArray();
      assertArrayEquals(seeded1, seeded2, "the step seed decides the masks");
      assertArrayEquals(eval1, model.encodeImages(m, images, false).toFloatArray(), "back in evaluation mode");
      assertNull(model.logitScale(), "a fixed-temperature loss does not use the module's logit scale");
    }
  }

  @Test
  void aWrongArityIsNamed() {
    try (NDManager m = NDManager.newBaseManager()) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> TorchScriptDualEncoder.load(m, TorchScriptFixture.spec(TorchScriptFixture.resource("bad_arity.pt")),
              false));
      assertTrue(
          e.getMessage().contains("bad_arity.pt: encode_text failed when called with token_ids and attention_mask"),
          e.getMessage());
      assertTrue(e.getMessage().contains("expected a module scripted with torch.jit.script"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
  }

  /**
   * OpenAI CLIP's signatures fail the contract; the wrapper recipe of fixtures/torchscript/clip_wrapper.py makes the
   * same module pass it, with the module's own embeddings (pooled at the mask's last token, CLIP's end-of-text).
   */
  @Test
  void anOpenAiClipModuleIsRefusedAsItIsAndAcceptedThroughTheWrapperRecipe() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> TorchScriptDualEncoder.load(m,
              TorchScriptFixture.spec(TorchScriptFixture.resource("clip_signatures_tiny.pt"), "max_words", 8), true));
      assertTrue(e.getMessage().contains("encode_text failed when called with token_ids and attention_mask"),
          e.getMessage());
    }
    JsonNode ref = new ObjectMapper().readTree(TorchScriptFixture.resource("clip_wrapped_reference.json").toFile());
    int[] ids = new int[16];
    int[] lengths = new int[2];
    for (int b = 0; b < 2; b++) {
      for (int t = 0; t < 8; t++) {
        ids[b * 8 + t] = ref.get("token_ids").get(b).get(t).asInt();
        lengths[b] += ref.get("attention_mask").get(b).get(t).asInt();
      }
    }
    float[] px = new float[2 * 3 * 64 * 64];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) Math.cos(i * 0.01);
    }
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptDualEncoder model = TorchScriptDualEncoder.load(m,
            TorchScriptFixture.spec(TorchScriptFixture.resource("clip_wrapped_tiny.pt"), "max_words", 8), true)) {
      assertArrayEquals(normalisedRows(ref.get("image_embeddings")),
          model.encodeImages(m, new RegionBatch(2, 1, 3 * 64 * 64, px, new int[]{1, 1}), false).toFloatArray(), 1e-5f);
      assertArrayEquals(normalisedRows(ref.get("text_embeddings")),
          model.encodeTexts(m, new TokenBatch(2, 8, ids, lengths), false).toFloatArray(), 1e-5f);
      assertEquals(ref.get("logit_scale").asDouble(), model.logitScale().toFloatArray()[0], 1e-6);
      assertTrue(model.parameterArrays().keySet().containsAll(List.of("visual.proj", "text_projection", "logit_scale")),
          "CLIP's own parameter names, for head: and freeze: " + model.parameterArrays().keySet());
    }
  }

  @Test
  void aWrongOutputCountIsNamed() {
    try (NDManager m = NDManager.newBaseManager()) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> TorchScriptDualEncoder.load(m, TorchScriptFixture.spec(TorchScriptFixture.resource("bad_outputs.pt")),
              false));
      assertEquals(
          TorchScriptFixture.resource("bad_outputs.pt")
              + ": encode_image returned a tuple of 2 values: expected one tensor [B, D]",
          e.getMessage());
    }
  }

  @Test
  void aMissingMethodANonModuleAndAMissingFileAreNamed(@TempDir Path dir) throws IOException {
    Path junk = Files.writeString(dir.resolve("junk.pt"), "not a zip");
    try (NDManager m = NDManager.newBaseManager()) {
      InvalidInputException notModule = assertThrows(InvalidInputException.class,
          () -> TorchScriptDualEncoder.load(m, TorchScriptFixture.spec(junk), false));
      assertTrue(notModule.getMessage().startsWith(junk + ": cannot be loaded as TorchScript"), notModule.getMessage());
      InvalidInputException missing = assertThrows(InvalidInputException.class,
          () -> TorchScriptDualEncoder.load(m, TorchScriptFixture.spec(dir.resolve("none.pt")), false));
      assertTrue(missing.getMessage().startsWith(dir.resolve("none.pt") + ": no such file"), missing.getMessage());
    }
  }

  @Test
  void theSpecNeedsAPathAndATokenizerAndThreeChannelStatistics() {
    SpecException e = assertThrows(SpecException.class, () -> ModelSpec.of("torchscript", Map.of()).requireComplete());
    assertTrue(e.getMessage().contains("model torchscript: path is required"), e.getMessage());
    assertTrue(e.getMessage().contains("model torchscript: tokenizer is required"), e.getMessage());
    SpecException mean = assertThrows(SpecException.class,
        () -> ModelSpec.of("torchscript", Map.of("mean", "0.5 0.5")));
    assertTrue(mean.getMessage().contains("mean=0.5 0.5 is not allowed: expected three space-separated numbers"),
        mean.getMessage());
    SpecException comma = assertThrows(SpecException.class, () -> TorchScriptFixture.spec("freeze", "visual,text"));
    assertTrue(comma.getMessage().contains("freeze=visual,text is not allowed: expected text without ',' or '='"),
        comma.getMessage());
    ModelSpec s = TorchScriptFixture.spec("freeze", "visual text.token", "pretrained_lr", 1e-7, "head", "visual.proj");
    assertEquals(s, ModelSpec.parse(s.canonical()), "the canonical form parses back");
    assertEquals(List.of("visual", "text.token"), TorchScriptSpec.of(s).freeze());
  }

  @Test
  void maxWordsDefaultsToClipsContextAndEveryIdentitySpellsItOut() {
    ModelSpec unspecified = ModelSpec.of("torchscript", Map.of("path", "m.pt", "tokenizer", "t.json"));
    assertEquals(77, TorchScriptSpec.of(unspecified).maxWords(), "CLIP's context");
    assertTrue(unspecified.canonical().contains("max_words=77"), unspecified.canonical());
    // a run stored when the default was 32 named it in its identity: it parses back to 32, not to today's default
    ModelSpec stored = ModelSpec.parse(
        ModelSpec.of("torchscript", Map.of("path", "m.pt", "tokenizer", "t.json", "max_words", 32)).canonical());
    assertEquals(32, TorchScriptSpec.of(stored).maxWords());
    assertNotEquals(stored.canonical(), unspecified.canonical(), "another max_words, another cell");
  }

  @Test
  void theTokenizerPadsCutsAndMasksOffline() {
    try (HuggingFaceCaptionTokenizer tok = HuggingFaceCaptionTokenizer.open(TorchScriptFixture.tokenizer(), 8)) {
      TokenBatch b = tok
          .encode(List.of("a red cube.", "a tiny crimson ball in the upper left corner , and more words"));
      assertEquals(8, b.length());
      assertEquals(6, b.lengths()[0], "[CLS] a red cube . [SEP]");
      assertEquals(8, b.lengths()[1], "cut to 8");
      assertEquals(2, b.ids()[0], "[CLS]");
      assertEquals(3, b.ids()[5], "[SEP]");
      assertEquals(0, b.ids()[6], "[PAD]");
      assertEquals(118, tok.vocabSize());
    }
  }
}
