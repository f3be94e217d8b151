package dev.lossbench.retrieval.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.engine.Scalars;
import java.util.List;
import java.util.SplittableRandom;

/** The few layer operations the encoders use, as functions of named parameters. */
final class Layers {
  /** Large enough to remove an entry from a max, sort or softmax, small enough to stay finite. */
  static final float MASKED = -1e4f;

  private Layers() {}

  /** Declares a linear layer {@code name.weight} (out × in) and {@code name.bias}, PyTorch-initialised. */
  static void declareLinear(ParameterSet p, String name, int in, int out, SplittableRandom rnd) {
    double bound = 1 / Math.sqrt(in);
    p.uniform(name + ".weight", new Shape(out, in), bound, rnd);
    p.uniform(name + ".bias", new Shape(out), bound, rnd);
  }

  /** {@code x · Wᵀ + b} over the last axis, any leading shape. */
  static NDArray linear(ParameterSet p, String name, NDArray x) {
    return x.getNDArrayInternal().linear(x, p.get(name + ".weight"), p.get(name + ".bias")).singletonOrThrow();
  }

  /**
   * Declares a one-direction, one-layer GRU {@code name} (PyTorch's gate layout and init): four
   * parameters {@code name.w_ih, .w_hh, .b_ih, .b_hh}, packed into one contiguous buffer
   * {@code name} in that order — cuDNN's canonical order for a layer and direction — so a CUDA
   * libtorch runs the GRU on them in place instead of compacting a copy at every call.
   */
  static void declareGru(ParameterSet p, String name, int in, int hidden, SplittableRandom rnd) {
    double bound = 1 / Math.sqrt(hidden);
    p.uniform(name + ".w_ih", new Shape(3L * hidden, in), bound, rnd);
    p.uniform(name + ".w_hh", new Shape(3L * hidden, hidden), bound, rnd);
    p.uniform(name + ".b_ih", new Shape(3L * hidden), bound, rnd);
    p.uniform(name + ".b_hh", new Shape(3L * hidden), bound, rnd);
    p.pack(name, gruWeights(name));
  }

  /** The GRU's parameter names in the order {@code gru} takes them (and cuDNN lays them out). */
  static List<String> gruWeights(String name) {
    return List.of(name + ".w_ih", name + ".w_hh", name + ".b_ih", name + ".b_hh");
  }

  /** Runs GRU {@code name} over {@code x} (B × T × in, batch first) from a zero state: B × T × hidden. */
  static NDArray gru(ParameterSet p, String name, NDArray x, int hidden, boolean training) {
    NDArray h0 = x.getManager().zeros(new Shape(1, x.getShape().get(0), hidden), x.getDataType());
    NDList params = new NDList(4);
    gruWeights(name).forEach(w -> params.add(p.get(w)));
    return x.getNDArrayInternal().gru(x, h0, params, true, 1, 0.0, training, false, true).get(0);
  }

  /** Rows scaled to unit L2 norm (last axis). */
  static NDArray l2normalize(NDArray x) {
    NDArray norm = Scalars.maximum(x.square().sum(new int[]{-1}, true).sqrt(), 1e-8f);
    return x.div(norm);
  }

  /** Mean over axis 1 of {@code x} (B × T × D) counting only positions where {@code mask} (B × T) is 1. */
  static NDArray maskedMean(NDArray x, NDArray mask) {
    NDArray m = mask.expandDims(2);
    return x.mul(m).sum(new int[]{1}).div(Scalars.maximum(m.sum(new int[]{1}), 1));
  }

  /** Max over axis 1 of {@code x} (B × T × D) among positions where {@code mask} is 1. */
  static NDArray maskedMax(NDArray x, NDArray mask) {
    NDArray m = mask.expandDims(2);
    return x.add(Scalars.mul(Scalars.sub(m, 1), -MASKED)).max(new int[]{1});
  }
}
