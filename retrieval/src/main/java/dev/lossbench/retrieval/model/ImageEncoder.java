package dev.lossbench.retrieval.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.engine.Scalars;
import java.util.SplittableRandom;

/**
 * Image (or video) features → one L2-normalised embedding per item.
 *
 * <ul>
 *   <li>regions (vse-*): linear projection (+ a 2-layer MLP residual, as VSE∞'s precomp encoder),
 *       then GPO, mean or max over the item's real regions;</li>
 *   <li>frames (meanp): mean over the real frames, then a linear projection;</li>
 *   <li>one vector (frozen-mlp): a 2-layer MLP.</li>
 * </ul>
 */
final class ImageEncoder {
  enum Pooling {
    GPO, MEAN, MAX, FRAME_MEAN, NONE
  }

  private final Pooling pooling;
  private final boolean mlp;
  private final GpoPooling gpo;

  ImageEncoder(ParameterSet p, ModelSpec spec, int inputDim, SplittableRandom rnd) {
    int embed = spec.integer("embed_dim");
    this.pooling = switch (spec.name()) {
      case VSE_GPO -> Pooling.GPO;
      case VSE_MEAN -> Pooling.MEAN;
      case VSE_MAX -> Pooling.MAX;
      case MEANP -> Pooling.FRAME_MEAN;
      case FROZEN_MLP -> Pooling.NONE;
      case TORCHSCRIPT ->
        throw new IllegalArgumentException("a torchscript model is loaded with TorchScriptDualEncoder");
    };
    this.mlp = spec.usesRegions() && spec.flag("mlp");
    if (pooling == Pooling.NONE) {
      int hidden = spec.integer("hidden");
      Layers.declareLinear(p, "image.mlp1", inputDim, hidden, rnd);
      Layers.declareLinear(p, "image.mlp2", hidden, embed, rnd);
    } else {
      Layers.declareLinear(p, "image.fc", inputDim, embed, rnd);
      if (mlp) {
        Layers.declareLinear(p, "image.mlp1", inputDim, embed / 2, rnd);
        Layers.declareLinear(p, "image.mlp2", embed / 2, embed, rnd);
      }
    }
    this.gpo = pooling == Pooling.GPO ? new GpoPooling(p, "image.gpo", rnd) : null;
  }

  /**
   * @param x B × R × D features; {@code valid[i]} leading positions of item i are real
   */
  NDArray encode(ParameterSet p, NDManager m, NDArray x, int[] valid, boolean training) {
    int b = valid.length;
    int r = Math.toIntExact(x.getShape().get(1));
    NDArray pooled;
    switch (pooling) {
      case NONE -> {
        NDArray v = x.reshape(new Shape(b, x.getShape().get(2)));
        pooled = Layers.linear(p, "image.mlp2", Scalars.maximum(Layers.linear(p, "image.mlp1", v), 0));
      }
      case FRAME_MEAN -> pooled = Layers.linear(p, "image.fc", Layers.maskedMean(x, mask(m, valid, r)));
      default -> {
        NDArray h = Layers.linear(p, "image.fc", x);
        if (mlp) {
          h = h.add(Layers.linear(p, "image.mlp2", Scalars.maximum(Layers.linear(p, "image.mlp1", x), 0)));
        }
        pooled = switch (pooling) {
          case GPO -> gpo.pool(p, h, valid, training);
          case MEAN -> Layers.maskedMean(h, mask(m, valid, r));
          default -> Layers.maskedMax(h, mask(m, valid, r));
        };
      }
    }
    return Layers.l2normalize(pooled);
  }

  private static NDArray mask(NDManager m, int[] valid, int r) {
    float[] mask = new float[valid.length * r];
    for (int i = 0; i < valid.length; i++) {
      for (int k = 0; k < valid[i]; k++) {
        mask[i * r + k] = 1;
      }
    }
    return m.create(mask, new Shape(valid.length, r));
  }
}
