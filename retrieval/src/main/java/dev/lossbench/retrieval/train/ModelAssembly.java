package dev.lossbench.retrieval.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.CaptionTokenizer;
import dev.lossbench.retrieval.data.Vocabulary;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.loss.RetrievalLoss;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.model.ParameterGroups;
import dev.lossbench.retrieval.model.RetrievalModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a run trains, built from its {@link TrainingSetup}: the vocabulary and tokenizer, the model
 * (fresh, started from a parent checkpoint, or resumed), the loss, the optimiser, and which
 * parameters are frozen. Closing it frees the model, optimiser and tokenizer. The one place models are
 * built: {@link #restore} builds a trained one from its checkpoint for evaluation.
 */
public final class ModelAssembly implements AutoCloseable {
  /** The model's own random stream, derived from the run's seed. */
  private static final long MODEL_STREAM = 0x4d4f44454cL;

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
    Vocabulary vocab = spec.vocabulary(
        resumed != null ? resumed.vocabulary() : parent != null ? parent.vocabulary() : null,
        setup.train);
    RetrievalLoss loss = setup.lossSpec.create();
    CaptionTokenizer tokenizer = spec.tokenizer(vocab);
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
        if (parent.parameters().keySet().equals(params.keySet())) {
          // every parameter from the parent (a TorchScript stage always): straight from its file, nothing on the heap
          model.loadParameters(parent.parameters(), setup.init.toString());
        } else {
          Map<String, float[]> start = model.parameterValues();
          start.replaceAll((name, fresh) -> parent.parameters().getOrDefault(name, fresh));
          model.loadParameters(start, setup.init.toString());
        }
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

  /**
   * A trained model restored from {@code checkpoint} (its spec, loss, input size and seed are the checkpoint's) with
   * the tokenizer it was trained with, for evaluation.
   */
  public static TrainedModel restore(Path checkpoint, NDManager parent) {
    Autograd.offOnThisThread();
    // the weights are read one array at a time as the model loads them; the optimiser state is never read
    CheckpointState s = Checkpoint.open(checkpoint);
    ModelSpec spec = ModelSpec.parse(s.run().model());
    Vocabulary vocab = spec.vocabulary(s.vocabulary(), null);
    RetrievalModel model = createModel(parent, spec, LossSpec.parse(s.run().loss()), s.run().inputDim(), vocab.size(),
        s.run().seed());
    try {
      model.loadParameters(s.parameters(), checkpoint.toString());
      return new TrainedModel(model, spec.tokenizer(vocab), s);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** A fresh model for a run ({@link ModelSpec#create}) on the model's own stream of the run's {@code seed}. */
  static RetrievalModel createModel(NDManager parent, ModelSpec spec, LossSpec loss, int inputDim, int vocabSize,
      long seed) {
    return spec.create(parent, loss.create(), inputDim, vocabSize, Seeds.derive(seed, MODEL_STREAM));
  }

  @Override
  public void close() {
    try (tokenizer; model; optimizer) {
      // closed in reverse order: optimizer, model, tokenizer
    }
  }
}
