package dev.lossbench.retrieval.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.CaptionTokenizer;
import dev.lossbench.retrieval.data.HuggingFaceCaptionTokenizer;
import dev.lossbench.retrieval.data.Tokenizer;
import dev.lossbench.retrieval.data.Vocabulary;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.loss.RetrievalLoss;
import dev.lossbench.retrieval.model.DualEncoder;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.model.ParameterGroups;
import dev.lossbench.retrieval.model.RetrievalModel;
import dev.lossbench.retrieval.model.TorchScriptDualEncoder;
import dev.lossbench.retrieval.model.TorchScriptSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a run trains, built from its {@link TrainingSetup}: the vocabulary and tokenizer, the model
 * (fresh, started from a parent checkpoint, or resumed), the loss, the optimiser, and which
 * parameters are frozen. Closing it frees the model, optimiser and tokenizer.
 */
final class ModelAssembly implements AutoCloseable {
  final Vocabulary vocabulary;
  final CaptionTokenizer tokenizer;
  final RetrievalModel model;
  final RetrievalLoss loss;
  final AdamW optimizer;
  /** The run's frozen prefixes and the model spec's. */
  final List<String> frozenPrefixes;

  private ModelAssembly(Vocabulary vocabulary, CaptionTokenizer tokenizer, RetrievalModel model, RetrievalLoss loss,
      AdamW optimizer, List<String> frozenPrefixes) {
    this.vocabulary = vocabulary;
    this.tokenizer = tokenizer;
    this.model = model;
    this.loss = loss;
    this.optimizer = optimizer;
    this.frozenPrefixes = frozenPrefixes;
  }

  /**
   * Builds the run's model with its weights from {@code resumed} (the run's own last checkpoint,
   * read from {@code resumedFrom}), else from {@code parent} (the checkpoint a fine-tuning run
   * starts from), else fresh; either may be null.
   */
  static ModelAssembly assemble(NDManager manager, TrainingSetup setup, CheckpointState resumed, Path resumedFrom,
      CheckpointState parent) {
    ModelSpec spec = setup.modelSpec;
    // a torchscript model's vocabulary is its tokenizer.json; its checkpoints hold only <pad> and <unk>
    Vocabulary vocab = spec.isTorchScript() ? Vocabulary.build(List.<String>of(), 1)
        : resumed != null ? Vocabulary.of(resumed.vocabulary())
        : parent != null ? Vocabulary.of(parent.vocabulary())
        : Vocabulary.build(setup.train, spec.integer("min_word_count"));
    RetrievalLoss loss = setup.lossSpec.create();
    CaptionTokenizer tokenizer = tokenizer(spec, vocab);
    RetrievalModel model = null;
    AdamW optimizer = null;
    try {
      model = createModel(manager, spec, setup.lossSpec, setup.train.dim(), vocab.size(), setup.seed);
      Map<String, NDArray> params = model.parameterArrays();
      ParameterGroups groups = model.parameterGroups();
      optimizer = new AdamW(manager, params, setup.config.weightDecay(),
          name -> groups.decays(name, params.get(name).getShape().dimension()));
      model.checkTokenizer(tokenizer);
      List<String> frozen = new ArrayList<>(setup.frozen);
      frozen.addAll(model.parameterGroups().frozenPrefixes());
      ModelAssembly a = new ModelAssembly(vocab, tokenizer, model, loss, optimizer, List.copyOf(frozen));
      a.checkFrozenPrefixes(spec);
      model.freeze(a::isFrozen);
      if (parent != null) {
        Map<String, float[]> start = model.parameterValues();
        start.replaceAll((name, fresh) -> parent.parameters().getOrDefault(name, fresh));
        model.loadParameters(start, setup.init.toString());
      }
      if (resumed != null) {
        model.loadParameters(resumed.parameters(), resumedFrom.toString());
        optimizer.restore(resumed.optimizer(), resumed.optimizerSteps());
      }
      return a;
    } catch (RuntimeException e) {
      if (optimizer != null) {
        optimizer.close();
      }
      if (model != null) {
        model.close();
      }
      tokenizer.close();
      throw e;
    }
  }

  boolean isFrozen(String name) {
    return frozenPrefixes.stream().anyMatch(name::startsWith);
  }

  private void checkFrozenPrefixes(ModelSpec spec) {
    for (String prefix : frozenPrefixes) {
      if (model.parameterArrays().keySet().stream().noneMatch(n -> n.startsWith(prefix))) {
        throw new InvalidInputException("freeze: '" + prefix + "' names no parameter of model " + spec.canonical()
            + ": its parameters are " + model.parameterArrays().keySet());
      }
    }
    if (!frozenPrefixes.isEmpty() && model.parameterArrays().entrySet().stream()
        .allMatch(e -> isFrozen(e.getKey()) || !e.getValue().hasGradient())) {
      throw new InvalidInputException("freeze: " + frozenPrefixes + " freezes every parameter; nothing would train");
    }
  }

  /** A fresh lossbench model for a run: a learnable-temperature loss gets the model's own logit scale. */
  static DualEncoder create(NDManager parent, ModelSpec spec, LossSpec loss, int inputDim, int vocabSize, long seed) {
    double initialTau = loss.create().initialTemperature();
    return new DualEncoder(parent, spec, inputDim, vocabSize, initialTau, Seeds.derive(seed, 0x4d4f44454cL));
  }

  /**
   * A fresh model for a run: lossbench's own dual encoder, or the pretrained TorchScript module the
   * spec names (with a trained logit scale when the loss uses the model's).
   */
  static RetrievalModel createModel(NDManager parent, ModelSpec spec, LossSpec loss, int inputDim, int vocabSize, long seed) {
    if (!spec.isTorchScript()) {
      return create(parent, spec, loss, inputDim, vocabSize, seed);
    }
    RetrievalLoss created = loss.create();
    boolean learnable = created.usesModelScale(TorchScriptSpec.of(spec).learnableScale());
    TorchScriptDualEncoder model = TorchScriptDualEncoder.load(parent, spec, learnable);
    if (learnable) {
      // the loss spec's 1/τ or γ is where the scale starts (a resumed or fine-tuned run loads its own after this)
      model.startLogitScaleAt(Math.log(created.initialScale()));
    }
    return model;
  }

  /** The captions' tokenizer: the word vocabulary's for lossbench's models, tokenizer.json for a torchscript model. */
  static CaptionTokenizer tokenizer(ModelSpec spec, Vocabulary vocab) {
    if (!spec.isTorchScript()) {
      return new Tokenizer(vocab, spec.integer("max_words"));
    }
    TorchScriptSpec ts = TorchScriptSpec.of(spec);
    return HuggingFaceCaptionTokenizer.open(ts.tokenizerPath(), ts.maxWords());
  }

  @Override
  public void close() {
    try (tokenizer; model; optimizer) {
      // closed in reverse order: optimizer, model, tokenizer
    }
  }
}
