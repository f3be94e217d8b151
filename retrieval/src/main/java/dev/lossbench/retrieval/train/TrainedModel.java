package dev.lossbench.retrieval.train;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.data.Tokenizer;
import dev.lossbench.retrieval.data.Vocabulary;
import dev.lossbench.retrieval.loss.InfoNceLoss;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.loss.RetrievalLoss;
import dev.lossbench.retrieval.model.Autograd;
import dev.lossbench.retrieval.model.DualEncoder;
import dev.lossbench.retrieval.model.ModelSpec;
import java.nio.file.Path;

/** A model restored from a checkpoint with the tokenizer it was trained with. */
public record TrainedModel(DualEncoder model, Tokenizer tokenizer, CheckpointState state) implements AutoCloseable {

  public static TrainedModel load(Path checkpoint, NDManager parent) {
    Autograd.offOnThisThread();
    CheckpointState s = Checkpoint.read(checkpoint);
    ModelSpec spec = ModelSpec.parse(s.run().model());
    Vocabulary vocab = Vocabulary.of(s.vocabulary());
    DualEncoder model = create(parent, spec, LossSpec.parse(s.run().loss()), s.run().inputDim(), vocab.size(), s.run().seed());
    model.parameters().load(s.parameters(), checkpoint.toString());
    return new TrainedModel(model, new Tokenizer(vocab, spec.integer("max_words")), s);
  }

  /** A fresh model for a run: a learnable-temperature loss gets the model's own logit scale. */
  static DualEncoder create(NDManager parent, ModelSpec spec, LossSpec loss, int inputDim, int vocabSize, long seed) {
    RetrievalLoss l = loss.create();
    double initialTau = l instanceof InfoNceLoss inf && inf.learnable() ? inf.tau() : 0;
    return new DualEncoder(parent, spec, inputDim, vocabSize, initialTau, Seeds.derive(seed, 0x4d4f44454cL));
  }

  @Override
  public void close() {
    model.close();
  }
}
