package dev.lossbench.retrieval.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.data.CaptionTokenizer;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.model.RetrievalModel;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's embeddings of a whole split, and Recall@K on them (no gradients, evaluation mode). The
 * embeddings stay on the engine's device; on a GPU the ranks are counted there too
 * ({@link DeviceRanks}) and only they come back, on the CPU the tiled host count
 * ({@link RecallAtK}) is used — the two give identical ranks (DeviceRanksTest).
 */
public final class Embeddings {
  private static final int BATCH = 256;

  private final NDArray images;
  private final NDArray captions;

  Embeddings(NDArray images, NDArray captions) {
    this.images = images;
    this.captions = captions;
  }

  /** Encodes every image and caption of {@code data}; the arrays live in {@code parent}. */
  public static Embeddings of(RetrievalModel model, RetrievalDataset data, CaptionTokenizer tokenizer, NDManager parent) {
    Autograd.offOnThisThread();
    NDList img = new NDList();
    NDList cap = new NDList();
    try (NDManager scope = parent.newSubManager()) {
      for (int start = 0; start < data.images(); start += BATCH) {
        int n = Math.min(BATCH, data.images() - start);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
          ids[i] = start + i;
        }
        NDArray e = model.encodeImages(scope, data.readImages(ids), false);
        e.attach(scope);
        img.add(e);
      }
      for (int start = 0; start < data.captionCount(); start += BATCH) {
        int n = Math.min(BATCH, data.captionCount() - start);
        List<String> texts = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
          texts.add(data.caption(start + c));
        }
        NDArray e = model.encodeTexts(scope, tokenizer.encode(texts), false);
        e.attach(scope);
        cap.add(e);
      }
      // one array per side, kept; the batches go with the scope
      NDArray images = NDArrays.concat(img);
      NDArray captions = NDArrays.concat(cap);
      images.attach(parent);
      captions.attach(parent);
      return new Embeddings(images, captions);
    }
  }

  /** Recall@K with the dataset's K captions per image; {@code folds} > 1 averages equal folds (COCO 1K). */
  public static RecallMetrics recall(RetrievalModel model, RetrievalDataset data, CaptionTokenizer tokenizer, NDManager parent, int folds) {
    if (!data.hasUniformCaptions()) {
      throw new InvalidInputException(data.description() + ": evaluation needs the same number of captions per image");
    }
    try (NDManager scope = parent.newSubManager()) {
      return of(model, data, tokenizer, scope).recall(data.captionsPerImage(), folds);
    }
  }

  /** Recall@K of these embeddings, K captions per image; {@code folds} > 1 averages equal folds. */
  public RecallMetrics recall(int captionsPerImage, int folds) {
    // on the CPU the host count is as fast and needs no comparison temporaries
    return images.getDevice().isGpu() ? recallOnDevice(captionsPerImage, folds) : recallOnHost(captionsPerImage, folds);
  }

  RecallMetrics recallOnHost(int captionsPerImage, int folds) {
    RecallAtK recall = new RecallAtK(captionsPerImage);
    try (EmbeddingSimilarities sims = EmbeddingSimilarities.of(images.getManager(), images, captions)) {
      return folds > 1 ? recall.evaluateFolds(sims, folds) : recall.evaluate(sims);
    }
  }

  RecallMetrics recallOnDevice(int captionsPerImage, int folds) {
    int n = Math.toIntExact(images.getShape().get(0));
    if (folds < 1 || n % folds != 0) {
      throw new InvalidInputException(n + " images cannot be split into " + folds + " equal folds");
    }
    DeviceRanks ranks = new DeviceRanks(captionsPerImage, RecallAtK.DEFAULT_TILE_IMAGES);
    int per = n / folds;
    List<RecallMetrics> each = new ArrayList<>();
    for (int f = 0; f < folds; f++) {
      NDArray i = images.get(new NDIndex("{}:{}", f * per, (f + 1) * per));
      NDArray c = captions.get(new NDIndex("{}:{}", f * per * captionsPerImage, (f + 1) * per * captionsPerImage));
      each.add(ranks.ranks(i, c).metrics());
      i.close();
      c.close();
    }
    return RecallMetrics.mean(each);
  }

  /** The image embeddings, row-major N × D, on the host (a copy). */
  public float[] images() {
    return images.toFloatArray();
  }

  /** The caption embeddings, row-major N·K × D, on the host (a copy). */
  public float[] captions() {
    return captions.toFloatArray();
  }
}
