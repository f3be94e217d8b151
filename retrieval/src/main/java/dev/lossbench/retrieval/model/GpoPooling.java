package dev.lossbench.retrieval.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.engine.Scalars;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * VSE∞'s generalised pooling operator: per feature dimension, the item's features sorted in
 * descending order and summed with learned weights that depend on the rank k and the set size L.
 * The weights come from a BiGRU over sinusoidal encodings of the positions 0 … L−1, a linear score
 * and a softmax with temperature 0.1 — computed once per distinct L in the batch.
 */
final class GpoPooling {
  private static final int PE_DIM = 32;
  private static final int HIDDEN = 32;
  private static final float TEMPERATURE = 0.1f;

  private final String name;

  GpoPooling(ParameterSet p, String name, SplittableRandom rnd) {
    this.name = name;
    Layers.declareGru(p, name + ".gru_fwd", PE_DIM, HIDDEN, rnd);
    Layers.declareGru(p, name + ".gru_bwd", PE_DIM, HIDDEN, rnd);
    Layers.declareLinear(p, name + ".score", HIDDEN, 1, rnd);
  }

  /**
   * @param x B × R × D features
   * @param valid number of leading real positions of each item (the rest is masked)
   * @return B × D pooled features
   */
  NDArray pool(ParameterSet p, NDArray x, int[] valid, boolean training) {
    NDManager m = x.getManager();
    int b = valid.length;
    int r = Math.toIntExact(x.getShape().get(1));
    float[] mask = new float[b * r];
    Map<Integer, Integer> lengths = new TreeMap<>();
    for (int i = 0; i < b; i++) {
      for (int k = 0; k < valid[i]; k++) {
        mask[i * r + k] = 1;
      }
      lengths.putIfAbsent(valid[i], lengths.size());
    }
    // weights per distinct length, padded to R with the masked value before the softmax
    float[] onehot = new float[b * lengths.size()];
    for (int i = 0; i < b; i++) {
      onehot[i * lengths.size() + lengths.get(valid[i])] = 1;
    }
    NDArray[] scores = new NDArray[lengths.size()];
    for (Map.Entry<Integer, Integer> e : lengths.entrySet()) {
      scores[e.getValue()] = scores(p, m, e.getKey(), r, training);
    }
    NDArray all = scores.length == 1 ? scores[0] : NDArrays.concat(new NDList(scores), 0);
    NDArray perItem = m.create(onehot, new Shape(b, lengths.size())).matMul(all); // B × R
    NDArray weights = Scalars.div(perItem, TEMPERATURE).softmax(1).expandDims(2);
    NDArray maskNd = m.create(mask, new Shape(b, r)).expandDims(2);
    NDArray masked = x.add(Scalars.mul(Scalars.sub(maskNd, 1), -Layers.MASKED));
    NDArray sorted = masked.neg().sort(1).neg(); // descending per dimension
    return sorted.mul(weights).sum(new int[]{1});
  }

  /** 1 × R scores for length {@code len}: positions ≥ len get the masked value. */
  private NDArray scores(ParameterSet p, NDManager m, int len, int r, boolean training) {
    NDArray pe = m.create(positionalEncoding(len), new Shape(1, len, PE_DIM));
    NDArray reversed = m.create(reverse(positionalEncoding(len), len), new Shape(1, len, PE_DIM));
    NDArray fwd = Layers.gru(p, name + ".gru_fwd", pe, HIDDEN, training);
    NDArray bwd = Layers.gru(p, name + ".gru_bwd", reversed, HIDDEN, training).flip(1);
    NDArray s = Layers.linear(p, name + ".score", Scalars.div(fwd.add(bwd), 2)).reshape(new Shape(1, len));
    if (len == r) {
      return s;
    }
    NDArray pad = m.full(new Shape(1, r - len), Layers.MASKED);
    return s.concat(pad, 1);
  }

  private static float[] positionalEncoding(int len) {
    float[] pe = new float[len * PE_DIM];
    for (int pos = 0; pos < len; pos++) {
      for (int i = 0; i < PE_DIM / 2; i++) {
        double angle = pos / Math.pow(10000, 2.0 * i / PE_DIM);
        pe[pos * PE_DIM + 2 * i] = (float) Math.sin(angle);
        pe[pos * PE_DIM + 2 * i + 1] = (float) Math.cos(angle);
      }
    }
    return pe;
  }

  private static float[] reverse(float[] pe, int len) {
    float[] out = new float[pe.length];
    for (int pos = 0; pos < len; pos++) {
      System.arraycopy(pe, (len - 1 - pos) * PE_DIM, out, pos * PE_DIM, PE_DIM);
    }
    return out;
  }
}
