package dev.lossbench.retrieval.model;

import dev.lossbench.retrieval.params.Param;
import dev.lossbench.retrieval.params.Params;
import dev.lossbench.retrieval.params.ResolvedSpec;
import dev.lossbench.retrieval.params.SpecException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;
import java.util.ArrayList;

/**
 * A dual encoder as a matrix names it: {@code NAME} or {@code NAME:key=value,...}, or a map with a
 * {@code name} entry. Every model encodes captions with word embeddings → bidirectional GRU
 * (directions averaged, as VSE∞) → masked mean pooling, and produces L2-normalised embeddings of
 * {@code embed_dim}.
 *
 * <ul>
 *   <li>{@code vse-gpo} / {@code vse-mean} / {@code vse-max} — region features → linear (+ MLP
 *       residual, as VSE∞'s precomp encoder) → GPO (VSE∞'s generalised pooling) / mean / max
 *       over regions; random region dropping during training.</li>
 *   <li>{@code meanp} — frame features → masked mean over frames (CLIP4Clip's meanP) → linear.</li>
 *   <li>{@code frozen-mlp} — one precomputed vector per image (e.g. CLIP features) → two-layer MLP.</li>
 *   <li>{@code torchscript} — a pretrained dual encoder exported from PyTorch (a {@code .pt} of
 *       {@code torch.jit.script}), over preprocessed pixels and Hugging Face {@code tokenizer.json}
 *       token ids; see {@link TorchScriptDualEncoder} for its calling contract.</li>
 * </ul>
 */
public final class ModelSpec extends ResolvedSpec {

  /** The models lossbench knows, with the keys each accepts. */
  public enum Name {
    VSE_GPO("vse-gpo", true),
    VSE_MEAN("vse-mean", true),
    VSE_MAX("vse-max", true),
    MEANP("meanp", false),
    FROZEN_MLP("frozen-mlp", false),
    /** A pretrained dual encoder exported from PyTorch with torch.jit.script ({@link TorchScriptDualEncoder}). */
    TORCHSCRIPT("torchscript", false);

    private final String id;
    private final List<Param> params;

    Name(String id, boolean regions) {
      this.id = id;
      if (id.equals("torchscript")) {
        this.params = TorchScriptSpec.PARAMS;
        return;
      }
      List<Param> p = new ArrayList<>(List.of(
          Param.integer("embed_dim", 1024, 1, "joint embedding size (also the text GRU's hidden size)"),
          Param.integer("word_dim", 300, 1, "word embedding size"),
          Param.integer("max_words", 32, 1, "captions are cut to this many tokens"),
          Param.integer("min_word_count", 1, 1, "words seen fewer times in training captions become <unk>")));
      if (regions) {
        p.add(Param.bool("mlp", true, "add a 2-layer MLP residual to the region projection (VSE∞)"));
        p.add(Param.number("region_drop", 0.2, 0, false, 0.9, "chance each region is dropped in training (VSE∞ size augmentation)"));
      }
      if (id.equals("frozen-mlp")) {
        p.add(Param.integer("hidden", 1024, 1, "hidden size of the image MLP"));
      }
      this.params = List.copyOf(p);
    }

    public String id() {
      return id;
    }

    public List<Param> params() {
      return params;
    }

    static Name of(String id) {
      for (Name n : values()) {
        if (n.id.equals(id)) {
          return n;
        }
      }
      throw new SpecException("unknown model '" + id + "': expected one of " + known());
    }

    public static String known() {
      return Arrays.stream(values()).map(Name::id).collect(Collectors.joining(", "));
    }
  }

  private final Name name;

  private ModelSpec(Name name, SortedMap<String, Object> params) {
    super(name.id, name.params(), params);
    this.name = name;
  }

  public static ModelSpec parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new SpecException("empty model spec: expected NAME or NAME:key=value,... with NAME one of " + Name.known());
    }
    Map.Entry<String, Map<String, Object>> parts = Params.split("model", spec);
    return of(parts.getKey(), parts.getValue());
  }

  public static ModelSpec fromMap(Map<String, ?> map) {
    Map.Entry<String, Map<String, Object>> named = Params.named("model", map, Name.known(), SpecException::new);
    return of(named.getKey(), named.getValue());
  }

  public static ModelSpec of(String id, Map<String, ?> raw) {
    Name name = Name.of(id.trim().toLowerCase(Locale.ROOT));
    ModelSpec spec = new ModelSpec(name, Params.resolve("model " + name.id, name.params(), raw, SpecException::new));
    if (name == Name.TORCHSCRIPT) {
      TorchScriptSpec.check(spec);
    }
    return spec;
  }

  public Name name() {
    return name;
  }

  /** Whether the image side reads region features (as opposed to frames or one vector). */
  public boolean usesRegions() {
    return name == Name.VSE_GPO || name == Name.VSE_MEAN || name == Name.VSE_MAX;
  }

  /**
   * This spec, checked for keys that have no default (a torchscript model's path and tokenizer);
   * a matrix checks every key alone first, then each complete spec with this.
   */
  public ModelSpec requireComplete() {
    if (name == Name.TORCHSCRIPT) {
      TorchScriptSpec.requireComplete(this);
    }
    return this;
  }

  /** Whether this is a pretrained TorchScript model (pixels and a Hugging Face tokenizer). */
  public boolean isTorchScript() {
    return name == Name.TORCHSCRIPT;
  }

  /** The value of a text parameter (a path, space-separated names). */
  public String text(String key) {
    return (String) params().get(key);
  }

  public static String reference() {
    return Arrays.stream(Name.values()).map(n -> n.id + ": " + Params.reference(n.params())).collect(Collectors.joining("\n"));
  }
}
