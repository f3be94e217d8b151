package dev.lossbench.retrieval.model;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The checked-in TorchScript fixture (fixtures/torchscript/make_fixture.py) and specs that use it. */
public final class TorchScriptFixture {
  private TorchScriptFixture() {}

  public static Path resource(String name) {
    try {
      return Path.of(TorchScriptFixture.class.getResource("/torchscript/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource torchscript/" + name + " is missing", e);
    }
  }

  public static Path model() {
    return resource("clip_tiny.pt");
  }

  public static Path tokenizer() {
    return resource("tokenizer.json");
  }

  /** The fixture as a matrix names it, with 64-pixel images and extra keys. */
  public static ModelSpec spec(Path module, Object... keyValues) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("path", module.toString());
    raw.put("tokenizer", tokenizer().toString());
    raw.put("image_size", 64);
    raw.put("max_words", 16);
    for (int i = 0; i < keyValues.length; i += 2) {
      raw.put((String) keyValues[i], keyValues[i + 1]);
    }
    return ModelSpec.of("torchscript", raw);
  }

  public static ModelSpec spec(Object... keyValues) {
    return spec(model(), keyValues);
  }
}
