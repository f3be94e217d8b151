package dev.lossbench.retrieval.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.npy.NpyArray;
import dev.lossbench.retrieval.npy.NpyDType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Similarities as plain dot products of image and caption embeddings (no normalisation: callers
 * that want cosine similarity pass L2-normalised rows). Tiles are matrix products on the engine,
 * so each costs what the floor (one big product) costs per entry.
 */
public final class EmbeddingSimilarities implements SimilaritySource, AutoCloseable {
  private final NDManager manager;
  private final NDArray images;
  private final NDArray captions;

  /** Copies the embeddings into a manager of its own, which {@link #close()} frees. */
  public EmbeddingSimilarities(NDManager parent, float[] images, float[] captions, int dim) {
    if (images.length % dim != 0 || captions.length % dim != 0) {
      throw new IllegalArgumentException("embedding arrays are not multiples of dim " + dim);
    }
    this.manager = parent.newSubManager();
    this.images = manager.create(images, new Shape(images.length / dim, dim));
    this.captions = manager.create(captions, new Shape(captions.length / dim, dim));
  }

  private EmbeddingSimilarities(NDManager manager, NDArray images, NDArray captions) {
    this.manager = manager;
    this.images = images;
    this.captions = captions;
  }

  /**
   * Over arrays already on the engine (no copy): image rows N × D, caption rows (N·K) × D. Closing frees only
   * what the tiles made; the arrays stay their owner's.
   */
  public static EmbeddingSimilarities of(NDManager parent, NDArray images, NDArray captions) {
    return new EmbeddingSimilarities(parent.newSubManager(), images, captions);
  }

  /** Image rows N × D and caption rows (N·K) × D from {@code .npy} files (float32 or float64). */
  public static EmbeddingSimilarities fromFiles(NDManager parent, NpyArray images, NpyArray captions) {
    images.requireDims(2, "images × dimension embeddings").requireFloating();
    captions.requireDims(2, "captions × dimension embeddings").requireFloating();
    if (images.dim(1) != captions.dim(1)) {
      throw new InvalidInputException(captions.path() + ": embedding dimension " + captions.dim(1)
          + " differs from " + images.path() + "'s " + images.dim(1));
    }
    NDManager manager = parent.newSubManager();
    return new EmbeddingSimilarities(manager, load(manager, images), load(manager, captions));
  }

  /** Straight from the mapping into the engine when possible, so the heap never holds a copy. */
  private static NDArray load(NDManager manager, NpyArray rows) {
    Shape shape = new Shape(rows.dim(0), rows.dim(1));
    ByteBuffer raw = rows.dtype() == NpyDType.FLOAT32 ? rows.bytes(0, rows.size()) : null;
    if (raw != null) {
      return manager.create(raw, shape, DataType.FLOAT32);
    }
    return manager.create(rows.toFloatArray(), shape);
  }

  @Override
  public int images() {
    return Math.toIntExact(images.getShape().get(0));
  }

  @Override
  public int captions() {
    return Math.toIntExact(captions.getShape().get(0));
  }

  @Override
  public void tile(int imageStart, int imageCount, int captionStart, int captionCount, double[] dst) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray a = images.get(new NDIndex("{}:{}", imageStart, imageStart + imageCount));
      NDArray b = captions.get(new NDIndex("{}:{}", captionStart, captionStart + captionCount));
      a.attach(scope);
      b.attach(scope);
      // a transposed view: the BLAS call reads it in place
      NDArray product = a.matMul(b.transpose());
      product.attach(scope);
      // the engine computes in float32; widened into the caller's double tile
      FloatBuffer floats = product.toByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
      for (int i = 0, n = imageCount * captionCount; i < n; i++) {
        dst[i] = floats.get(i);
      }
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
