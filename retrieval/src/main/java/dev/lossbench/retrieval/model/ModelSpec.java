package dev.lossbench.retrieval.model;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.data.CaptionTokenizer;
import dev.lossbench.retrieval.data.HuggingFaceCaptionTokenizer;
import dev.lossbench.retrieval.data.ImagePreprocessing;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.data.Tokenizer;
import dev.lossbench.retrieval.data.Vocabulary;
import dev.lossbench.retrieval.loss.RetrievalLoss;
import dev.lossbench.retrieval.params.Param;
import dev.lossbench.retrieval.params.Params;
import dev.lossbench.retrieval.params.ResolvedSpec;
import dev.lossbench.retrieval.params.SpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Collectors;

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

  /**
   * The models lossbench knows, with the keys each accepts; each answers how it is created, what vocabulary and
   * tokenizer its captions take, which files decide its runs and how its raw images are preprocessed. The
   * defaults are lossbench's own dual encoder ({@link DualEncoder}: a word vocabulary built from the training
   * captions, sizing the text side); a new model is one entry here, overriding what differs, plus its encoder.
   */
  public enum Name {
    VSE_GPO("vse-gpo", true),
    VSE_MEAN("vse-mean", true),
    VSE_MAX("vse-max", true),
    MEANP("meanp", false),
    FROZEN_MLP("frozen-mlp", false),
    /** A pretrained dual encoder exported from PyTorch with torch.jit.script ({@link TorchScriptDualEncoder}). */
    TORCHSCRIPT("torchscript", false) {
      @Override
      void check(ModelSpec spec) {
        TorchScriptSpec.check(spec);
      }

      @Override
      void requireComplete(ModelSpec spec) {
        TorchScriptSpec.requireComplete(spec);
      }

      /** The module the spec names, with a trained logit scale when the loss uses the model's. */
      @Override
      RetrievalModel create(ModelSpec spec, NDManager parent, RetrievalLoss loss, int inputDim, int vocabSize,
          long seed) {
        boolean learnable = loss.usesModelScale(TorchScriptSpec.of(spec).learnableScale());
        TorchScriptDualEncoder model = TorchScriptDualEncoder.load(parent, spec, learnable);
        if (learnable) {
          // the loss spec's 1/τ or γ is where the scale starts (a resumed or fine-tuned run loads its own after this)
          model.startLogitScaleAt(Math.log(loss.initialScale()));
        }
        return model;
      }

      /** Its vocabulary is its tokenizer.json: its checkpoints hold only {@code <pad>} and {@code <unk>}. */
      @Override
      Vocabulary vocabulary(ModelSpec spec, List<String> saved, RetrievalDataset train) {
        return Vocabulary.build(List.<String>of(), 1);
      }

      @Override
      CaptionTokenizer tokenizer(ModelSpec spec, Vocabulary vocabulary) {
        TorchScriptSpec ts = TorchScriptSpec.of(spec);
        return HuggingFaceCaptionTokenizer.open(ts.tokenizerPath(), ts.maxWords());
      }

      @Override
      Optional<String> moduleDigest(ModelSpec spec) {
        return Optional.of(TorchScriptSpec.of(spec).moduleDigest());
      }

      @Override
      Optional<String> tokenizerDigest(ModelSpec spec) {
        return Optional.of(TorchScriptSpec.of(spec).tokenizerDigest());
      }

      @Override
      ImagePreprocessing imagePreprocessing(ModelSpec spec) {
        return TorchScriptSpec.of(spec).preprocessing();
      }
    };

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
        p.add(Param.number("region_drop", 0.2, 0, false, 0.9,
            "chance each region is dropped in training (VSE∞ size augmentation)"));
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

    /** Checks the keys that need more than their own range; nothing by default. */
    void check(ModelSpec spec) {}

    /** Checks that the keys without a default are given; nothing by default. */
    void requireComplete(ModelSpec spec) {}

    RetrievalModel create(ModelSpec spec, NDManager parent, RetrievalLoss loss, int inputDim, int vocabSize,
        long seed) {
      return new DualEncoder(parent, spec, inputDim, vocabSize, loss.initialTemperature(), seed);
    }

    Vocabulary vocabulary(ModelSpec spec, List<String> saved, RetrievalDataset train) {
      return saved != null ? Vocabulary.of(saved) : Vocabulary.build(train, spec.integer("min_word_count"));
    }

    CaptionTokenizer tokenizer(ModelSpec spec, Vocabulary vocabulary) {
      return new Tokenizer(vocabulary, spec.integer("max_words"));
    }

    Optional<String> moduleDigest(ModelSpec spec) {
      return Optional.empty();
    }

    Optional<String> tokenizerDigest(ModelSpec spec) {
      return Optional.empty();
    }

    ImagePreprocessing imagePreprocessing(ModelSpec spec) {
      return ImagePreprocessing.CLIP_224;
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
    name.check(spec);
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
    name.requireComplete(this);
    return this;
  }

  /**
   * A fresh model: lossbench's own dual encoder, or the pretrained module the spec names.
   *
   * @param loss the run's loss: a learnable temperature is the model's logit scale, started at the loss's
   * @param vocabSize the size of {@link #vocabulary}'s answer, which sizes a word-vocabulary model
   * @param seed the model's own random stream (its initial weights)
   */
  public RetrievalModel create(NDManager parent, RetrievalLoss loss, int inputDim, int vocabSize, long seed) {
    return name.create(this, parent, loss, inputDim, vocabSize, seed);
  }

  /**
   * The captions' vocabulary: {@code saved} (a checkpoint's) when not null, else built from {@code train}'s captions
   * ({@code min_word_count}); a torchscript model's is its tokenizer.json, so its checkpoints hold only
   * {@code <pad>} and {@code <unk>}.
   */
  public Vocabulary vocabulary(List<String> saved, RetrievalDataset train) {
    return name.vocabulary(this, saved, train);
  }

  /** The captions' tokenizer: {@code vocabulary}'s for lossbench's models, tokenizer.json for a torchscript model. */
  public CaptionTokenizer tokenizer(Vocabulary vocabulary) {
    return name.tokenizer(this, vocabulary);
  }

  /**
   * The SHA-256 of the pretrained module the model is read from, whose bytes decide a run as much as the spec's
   * text does; empty for a model built from its spec alone. A missing file is an {@link
   * dev.lossbench.retrieval.InvalidInputException}, an unreadable one an {@link java.io.UncheckedIOException}.
   */
  public Optional<String> moduleDigest() {
    return name.moduleDigest(this);
  }

  /** The SHA-256 of a pretrained model's tokenizer file, as {@link #moduleDigest()}; empty for a word vocabulary. */
  public Optional<String> tokenizerDigest() {
    return name.tokenizerDigest(this);
  }

  /** How the model's raw images are preprocessed: a torchscript model's own size, mean and std; CLIP's otherwise. */
  public ImagePreprocessing imagePreprocessing() {
    return name.imagePreprocessing(this);
  }

  /** The value of a text parameter (a path, space-separated names). */
  public String text(String key) {
    return (String) params().get(key);
  }

  public static String reference() {
    return Arrays.stream(Name.values()).map(n -> n.id + ": " + Params.reference(n.params()))
        .collect(Collectors.joining("\n"));
  }
}
