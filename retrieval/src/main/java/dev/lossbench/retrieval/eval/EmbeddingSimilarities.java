package dev.lossbench.retrieval.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.npy.NpyArray;

/**
 * Similarities as plain dot products of image and caption embeddings (no normalisation: callers
 * that want cosine similarity pass L2-normalised rows). Tiles are matrix products on the engine,
 * so each costs what the floor (one big product) costs per entry.
 */
public final class EmbeddingSimilarities implements SimilaritySource, AutoCloseable {
  private final NDManager manager;
  private final NDArray images;
  private final NDArray captionsT;

  /** Takes ownership of nothing: the arrays are copied into a manager this object closes. */
  public EmbeddingSimilarities(NDManager parent, float[] images, float[] captions, int dim) {
    if (images.length % dim != 0 || captions.length % dim != 0) {
      throw new IllegalArgumentException("embedding arrays are not multiples of dim " + dim);
    }
    this.manager = parent.newSubManager();
    this.images = manager.create(images, new Shape(images.length / dim, dim));
    this.captionsT = manager.create(captions, new Shape(captions.length / dim, dim)).transpose().duplicate();
  }

  /** Image rows N × D and caption rows (N·K) × D from {@code .npy} files (float32 or float64). */
  public static EmbeddingSimilarities fromFiles(NDManager parent, NpyArray images, NpyArray captions) {
    images.requireDims(2, "images × dimension embeddings").requireFloating();
    captions.requireDims(2, "captions × dimension embeddings").requireFloating();
    if (images.dim(1) != captions.dim(1)) {
      throw new InvalidInputException(captions.path() + ": embedding dimension " + captions.dim(1)
          + " differs from " + images.path() + "'s " + images.dim(1));
    }
    return new EmbeddingSimilarities(parent, images.toFloatArray(), captions.toFloatArray(), Math.toIntExact(images.dim(1)));
  }

  @Override
  public int images() {
    return Math.toIntExact(images.getShape().get(0));
  }

  @Override
  public int captions() {
    return Math.toIntExact(captionsT.getShape().get(1));
  }

  @Override
  public void tile(int imageStart, int imageCount, int captionStart, int captionCount, float[] dst) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray a = images.get(new NDIndex("{}:{}", imageStart, imageStart + imageCount));
      NDArray b = captionsT.get(new NDIndex(":, {}:{}", captionStart, captionStart + captionCount));
      a.attach(scope);
      b.attach(scope);
      NDArray product = a.matMul(b);
      product.attach(scope);
      float[] values = product.toFloatArray();
      System.arraycopy(values, 0, dst, 0, values.length);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
