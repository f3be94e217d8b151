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

  public static Embeddings of(RetrievalModel model, RetrievalDataset data, CaptionTokenizer tokenizer, NDManager parent) {
    Autograd.offOnThisThread();
    int dim = model.embedDim();
    float[] img = new float[data.images() * dim];
    float[] cap = new float[data.captionCount() * dim];
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
    }
    return new Embeddings(img, cap, dim);
  }

  /** Recall@K with the dataset's K captions per image; {@code folds} > 1 averages equal folds (COCO 1K). */
  public static RecallMetrics recall(RetrievalModel model, RetrievalDataset data, CaptionTokenizer tokenizer, NDManager parent, int folds) {
    if (!data.hasUniformCaptions()) {
      throw new InvalidInputException(data.description() + ": evaluation needs the same number of captions per image");
    }
    Embeddings e = of(model, data, tokenizer, parent);
    RecallAtK recall = new RecallAtK(data.captionsPerImage());
    try (EmbeddingSimilarities sims = new EmbeddingSimilarities(parent, e.images, e.captions, e.dim)) {
      return folds > 1 ? recall.evaluateFolds(sims, folds) : recall.evaluate(sims);
    }
  }

  public float[] images() {
    return images;
  }

  public float[] captions() {
    return captions;
  }
}
