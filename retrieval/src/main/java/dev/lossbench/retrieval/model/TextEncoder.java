package dev.lossbench.retrieval.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.lossbench.retrieval.data.TokenBatch;
import dev.lossbench.retrieval.engine.Scalars;
import java.util.SplittableRandom;

/**
 * Captions → word embeddings → bidirectional GRU (the two directions averaged, as VSE∞) → mean
 * over the real tokens → L2 norm.
 *
 * <p>The backward direction runs as a forward GRU over each caption reversed within its own
 * length, so padding never enters either direction — the same result as PyTorch's packed
 * sequences, which DJL's GRU does not offer. Mean pooling does not depend on position order, so
 * the reversed outputs need no un-reversing.
 */
final class TextEncoder {
  private final int hidden;

  TextEncoder(ParameterSet p, int vocabSize, int wordDim, int hidden, SplittableRandom rnd) {
    this.hidden = hidden;
    p.normal("text.embedding", new Shape(vocabSize, wordDim), 0.1, rnd);
    Layers.declareGru(p, "text.gru_fwd", wordDim, hidden, rnd);
    Layers.declareGru(p, "text.gru_bwd", wordDim, hidden, rnd);
  }

  NDArray encode(ParameterSet p, NDManager m, TokenBatch tokens, boolean training) {
    int b = tokens.size();
    int t = tokens.length();
    int[] reversed = new int[tokens.ids().length];
    float[] mask = new float[b * t];
    for (int i = 0; i < b; i++) {
      int len = tokens.lengths()[i];
      for (int k = 0; k < len; k++) {
        reversed[i * t + k] = tokens.ids()[i * t + len - 1 - k];
        mask[i * t + k] = 1;
      }
    }
    NDArray emb = p.get("text.embedding");
    NDArray fwdIn = Embedding.embedding(m.create(tokens.ids(), new Shape(b, t)), emb, SparseFormat.DENSE)
        .singletonOrThrow();
    NDArray bwdIn = Embedding.embedding(m.create(reversed, new Shape(b, t)), emb, SparseFormat.DENSE)
        .singletonOrThrow();
    NDArray fwd = Layers.gru(p, "text.gru_fwd", fwdIn, hidden, training);
    NDArray bwd = Layers.gru(p, "text.gru_bwd", bwdIn, hidden, training);
    NDArray maskNd = m.create(mask, new Shape(b, t));
    return Layers.l2normalize(Layers.maskedMean(Scalars.div(fwd.add(bwd), 2), maskNd));
  }
}
