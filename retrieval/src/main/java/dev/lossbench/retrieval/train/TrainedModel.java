package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.data.CaptionTokenizer;
import dev.lossbench.retrieval.model.RetrievalModel;

/** A model restored from a checkpoint with the tokenizer it was trained with ({@link ModelAssembly#restore}). */
public record TrainedModel(RetrievalModel model, CaptionTokenizer tokenizer,
    CheckpointState state) implements AutoCloseable {

  @Override
  public void close() {
    tokenizer.close();
    model.close();
  }
}
