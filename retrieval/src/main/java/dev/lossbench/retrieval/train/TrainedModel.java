package dev.lossbench.retrieval.train;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.data.CaptionTokenizer;
import dev.lossbench.retrieval.data.Tokenizer;
import dev.lossbench.retrieval.data.Vocabulary;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.model.DualEncoder;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.model.RetrievalModel;
import java.nio.file.Path;

/** A model restored from a checkpoint with the tokenizer it was trained with. */
public record TrainedModel(RetrievalModel model, CaptionTokenizer tokenizer, CheckpointState state) implements AutoCloseable {

  public static TrainedModel load(Path checkpoint, NDManager parent) {
    Autograd.offOnThisThread();
    // the weights are read one array at a time as the model loads them; the optimiser state is never read
    CheckpointState s = Checkpoint.open(checkpoint);
    ModelSpec spec = ModelSpec.parse(s.run().model());
    if (spec.isTorchScript()) {
      RetrievalModel model = ModelAssembly.createModel(parent, spec, LossSpec.parse(s.run().loss()), s.run().inputDim(), 0, s.run().seed());
      try {
        model.loadParameters(s.parameters(), checkpoint.toString());
        return new TrainedModel(model, ModelAssembly.tokenizer(spec, null), s);
      } catch (RuntimeException e) {
        model.close();
        throw e;
      }
    }
    Vocabulary vocab = Vocabulary.of(s.vocabulary());
    DualEncoder model = ModelAssembly.create(parent, spec, LossSpec.parse(s.run().loss()), s.run().inputDim(), vocab.size(), s.run().seed());
    model.parameters().load(s.parameters(), checkpoint.toString());
    return new TrainedModel(model, new Tokenizer(vocab, spec.integer("max_words")), s);
  }

  @Override
  public void close() {
    tokenizer.close();
    model.close();
  }
}
