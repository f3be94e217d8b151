package dev.lossbench.retrieval.train;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.data.CaptionTokenizer;
import dev.lossbench.retrieval.data.HuggingFaceCaptionTokenizer;
import dev.lossbench.retrieval.data.Tokenizer;
import dev.lossbench.retrieval.data.Vocabulary;
import dev.lossbench.retrieval.loss.InfoNceLoss;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.loss.RetrievalLoss;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.model.DualEncoder;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.model.RetrievalModel;
import dev.lossbench.retrieval.model.TorchScriptDualEncoder;
import dev.lossbench.retrieval.model.TorchScriptSpec;
import java.nio.file.Path;

/** A model restored from a checkpoint with the tokenizer it was trained with. */
public record TrainedModel(RetrievalModel model, CaptionTokenizer tokenizer, CheckpointState state) implements AutoCloseable {

  public static TrainedModel load(Path checkpoint, NDManager parent) {
    Autograd.offOnThisThread();
    CheckpointState s = Checkpoint.read(checkpoint);
    ModelSpec spec = ModelSpec.parse(s.run().model());
    if (spec.isTorchScript()) {
      RetrievalModel model = createModel(parent, spec, LossSpec.parse(s.run().loss()), s.run().inputDim(), 0, s.run().seed());
      try {
        model.loadParameters(s.parameters(), checkpoint.toString());
        return new TrainedModel(model, tokenizer(spec, null), s);
      } catch (RuntimeException e) {
        model.close();
        throw e;
      }
    }
    Vocabulary vocab = Vocabulary.of(s.vocabulary());
    DualEncoder model = create(parent, spec, LossSpec.parse(s.run().loss()), s.run().inputDim(), vocab.size(), s.run().seed());
    model.parameters().load(s.parameters(), checkpoint.toString());
    return new TrainedModel(model, new Tokenizer(vocab, spec.integer("max_words")), s);
  }

  /** A fresh model for a run: a learnable-temperature loss gets the model's own logit scale. */
  static DualEncoder create(NDManager parent, ModelSpec spec, LossSpec loss, int inputDim, int vocabSize, long seed) {
    double initialTau = initialTau(loss.create());
    return new DualEncoder(parent, spec, inputDim, vocabSize, initialTau, Seeds.derive(seed, 0x4d4f44454cL));
  }

  /**
   * A fresh model for a run: lossbench's own dual encoder, or the pretrained TorchScript module the
   * spec names (its tokenizer's vocabulary checked against the module).
   */
  static RetrievalModel createModel(NDManager parent, ModelSpec spec, LossSpec loss, int inputDim, int vocabSize, long seed) {
    if (!spec.isTorchScript()) {
      return create(parent, spec, loss, inputDim, vocabSize, seed);
    }
    RetrievalLoss l = loss.create();
    boolean learnable = initialTau(l) > 0
        || (l instanceof dev.lossbench.retrieval.loss.UnifiedLoss && TorchScriptSpec.of(spec).learnableScale());
    return TorchScriptDualEncoder.load(parent, spec, learnable);
  }

  /** τ of a loss that learns its temperature with the model (unified: 1/γ), else 0. */
  static double initialTau(RetrievalLoss l) {
    if (l instanceof InfoNceLoss inf && inf.learnable()) {
      return inf.tau();
    }
    return 0;
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
    tokenizer.close();
    model.close();
  }
}
