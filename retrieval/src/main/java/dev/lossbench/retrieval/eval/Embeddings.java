package dev.lossbench.retrieval.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.data.CaptionTokenizer;
import dev.lossbench.retrieval.eval.EmbeddingSimilarities;
import dev.lossbench.retrieval.eval.RecallAtK;
import dev.lossbench.retrieval.eval.RecallMetrics;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.model.RetrievalModel;
import java.util.ArrayList;
import java.util.List;

/** A model's embeddings of a whole split, and Recall@K on them (no gradients, evaluation mode). */
public final class Embeddings {
  private static final int BATCH = 256;

  private final float[] images;
  private final float[] captions;
  private final int dim;

  private Embeddings(float[] images, float[] captions, int dim) {
    this.images = images;
    this.captions = captions;
    this.dim = dim;
  }

  /**
   * Told after every encoded batch, on the evaluating thread, so that a long evaluation can show
   * it is alive (a heartbeat); an exception thrown here (a cancellation) stops the evaluation.
   */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total) -> {};

    /** {@code done} of {@code total} batches (images, then captions, then the ranking) are finished. */
    void batchDone(int done, int total);
  }

  public static Embeddings of(RetrievalModel model, RetrievalDataset data, CaptionTokenizer tokenizer, NDManager parent) {
    return of(model, data, tokenizer, parent, Progress.NONE);
  }

  public static Embeddings of(RetrievalModel model, RetrievalDataset data, CaptionTokenizer tokenizer, NDManager parent,
      Progress progress) {
    Autograd.offOnThisThread();
    int dim = model.embedDim();
    float[] img = new float[data.images() * dim];
    float[] cap = new float[data.captionCount() * dim];
    int total = batches(data) + 1;
    int done = 0;
    progress.batchDone(done, total);
    for (int start = 0; start < data.images(); start += BATCH) {
      int n = Math.min(BATCH, data.images() - start);
      int[] ids = new int[n];
      for (int i = 0; i < n; i++) {
        ids[i] = start + i;
      }
      try (NDManager scope = parent.newSubManager()) {
        NDArray e = model.encodeImages(scope, data.readImages(ids), false);
        System.arraycopy(e.toFloatArray(), 0, img, start * dim, n * dim);
      }
      progress.batchDone(++done, total);
    }
    for (int start = 0; start < data.captionCount(); start += BATCH) {
      int n = Math.min(BATCH, data.captionCount() - start);
      List<String> texts = new ArrayList<>(n);
      for (int c = 0; c < n; c++) {
        texts.add(data.caption(start + c));
      }
      try (NDManager scope = parent.newSubManager()) {
        NDArray e = model.encodeTexts(scope, tokenizer.encode(texts), false);
        System.arraycopy(e.toFloatArray(), 0, cap, start * dim, n * dim);
      }
      progress.batchDone(++done, total);
    }
    return new Embeddings(img, cap, dim);
  }

  /** Encoded batches of {@link #of} for {@code data}. */
  private static int batches(RetrievalDataset data) {
    return (data.images() + BATCH - 1) / BATCH + (data.captionCount() + BATCH - 1) / BATCH;
  }

  /** Recall@K with the dataset's K captions per image; {@code folds} > 1 averages equal folds (COCO 1K). */
  public static RecallMetrics recall(RetrievalModel model, RetrievalDataset data, CaptionTokenizer tokenizer, NDManager parent, int folds) {
    return recall(model, data, tokenizer, parent, folds, Progress.NONE);
  }

  /** {@link #recall(RetrievalModel, RetrievalDataset, CaptionTokenizer, NDManager, int)}, telling {@code progress}. */
  public static RecallMetrics recall(RetrievalModel model, RetrievalDataset data, CaptionTokenizer tokenizer, NDManager parent,
      int folds, Progress progress) {
    requireUniformCaptions(data);
    Embeddings e = of(model, data, tokenizer, parent, progress);
    RecallMetrics m = e.recall(data, parent, folds);
    int total = batches(data) + 1;
    progress.batchDone(total, total);
    return m;
  }

  /** Recall@K of these embeddings of {@code data}. */
  public RecallMetrics recall(RetrievalDataset data, NDManager parent, int folds) {
    requireUniformCaptions(data);
    RecallAtK recall = new RecallAtK(data.captionsPerImage());
    try (EmbeddingSimilarities sims = new EmbeddingSimilarities(parent, images, captions, dim)) {
      return folds > 1 ? recall.evaluateFolds(sims, folds) : recall.evaluate(sims);
    }
  }

  private static void requireUniformCaptions(RetrievalDataset data) {
    if (!data.hasUniformCaptions()) {
      throw new InvalidInputException(data.description() + ": evaluation needs the same number of captions per image");
    }
  }

  /**
   * An upper bound on how far any image–caption similarity lies from any other: 0 when every
   * image embedding is the same and every caption embedding is the same (the model collapsed to
   * a constant, and every ranking is a tie). From {@code |<x,y> - <x0,y0>| <= |x-x0||y| + |x0||y-y0|},
   * in time linear in the embeddings rather than quadratic.
   */
  public double similaritySpreadBound() {
    double imgNorm = maxNorm(images, dim);
    double capNorm = maxNorm(captions, dim);
    return 2 * (maxDistanceToFirst(images, dim) * capNorm + imgNorm * maxDistanceToFirst(captions, dim));
  }

  private static double maxNorm(float[] v, int dim) {
    double max = 0;
    for (int r = 0; r < v.length; r += dim) {
      double sq = 0;
      for (int d = 0; d < dim; d++) {
        sq += (double) v[r + d] * v[r + d];
      }
      max = Math.max(max, sq);
    }
    return Math.sqrt(max);
  }

  private static double maxDistanceToFirst(float[] v, int dim) {
    double max = 0;
    for (int r = dim; r < v.length; r += dim) {
      double sq = 0;
      for (int d = 0; d < dim; d++) {
        double diff = (double) v[r + d] - v[d];
        sq += diff * diff;
      }
      max = Math.max(max, sq);
    }
    return Math.sqrt(max);
  }

  public float[] images() {
    return images;
  }

  public float[] captions() {
    return captions;
  }
}
