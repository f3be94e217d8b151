package dev.lossbench.retrieval.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.CaptionTokenizer;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.data.TokenBatch;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.engine.HostReads;
import dev.lossbench.retrieval.engine.NativeWork;
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

  /** Encodes every image and caption of {@code data}; the arrays live in {@code parent}. */
  public static Embeddings of(RetrievalModel model, RetrievalDataset data, CaptionTokenizer tokenizer,
      NDManager parent) {
    return of(model, data, tokenizer, parent, Progress.NONE);
  }

  public static Embeddings of(RetrievalModel model, RetrievalDataset data, CaptionTokenizer tokenizer, NDManager parent,
      Progress progress) {
    Autograd.offOnThisThread();
    int total = batches(data) + 1;
    int done = 0;
    progress.batchDone(done, total);
    NDList img = new NDList();
    NDList cap = new NDList();
    try (NDManager scope = parent.newSubManager()) {
      for (int start = 0; start < data.images(); start += BATCH) {
        int n = Math.min(BATCH, data.images() - start);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
          ids[i] = start + i;
        }
        RegionBatch regions = data.readImages(ids);
        NDArray e = NativeWork.call(() -> model.encodeImages(scope, regions, false));
        e.attach(scope);
        img.add(e);
        progress.batchDone(++done, total);
      }
      for (int start = 0; start < data.captionCount(); start += BATCH) {
        int n = Math.min(BATCH, data.captionCount() - start);
        List<String> texts = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
          texts.add(data.caption(start + c));
        }
        TokenBatch tokens = tokenizer.encode(texts);
        NDArray e = NativeWork.call(() -> model.encodeTexts(scope, tokens, false));
        e.attach(scope);
        cap.add(e);
        progress.batchDone(++done, total);
      }
      // one array per side, kept; the batches go with the scope
      NDArray images = NDArrays.concat(img);
      NDArray captions = NDArrays.concat(cap);
      images.attach(parent);
      captions.attach(parent);
      return new Embeddings(images, captions);
    }
  }

  /** Encoded batches of {@link #of} for {@code data}. */
  private static int batches(RetrievalDataset data) {
    return (data.images() + BATCH - 1) / BATCH + (data.captionCount() + BATCH - 1) / BATCH;
  }

  /** Recall@K with the dataset's K captions per image; {@code folds} > 1 averages equal folds (COCO 1K). */
  public static RecallMetrics recall(RetrievalModel model, RetrievalDataset data, CaptionTokenizer tokenizer,
      NDManager parent, int folds) {
    return recall(model, data, tokenizer, parent, folds, Progress.NONE);
  }

  /** {@link #recall(RetrievalModel, RetrievalDataset, CaptionTokenizer, NDManager, int)}, telling {@code progress}. */
  public static RecallMetrics recall(RetrievalModel model, RetrievalDataset data, CaptionTokenizer tokenizer,
      NDManager parent,
      int folds, Progress progress) {
    requireUniformCaptions(data);
    try (NDManager scope = parent.newSubManager()) {
      RecallMetrics m = of(model, data, tokenizer, scope, progress).recall(data, scope, folds);
      int total = batches(data) + 1;
      progress.batchDone(total, total);
      return m;
    }
  }

  /** Recall@K of these embeddings of {@code data}. */
  public RecallMetrics recall(RetrievalDataset data, NDManager parent, int folds) {
    requireUniformCaptions(data);
    return recall(data.captionsPerImage(), folds);
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

  private static void requireUniformCaptions(RetrievalDataset data) {
    if (!data.hasUniformCaptions()) {
      throw new InvalidInputException(data.description() + ": evaluation needs the same number of captions per image");
    }
  }

  /**
   * An upper bound on how far any image–caption similarity lies from any other: 0 when every
   * image embedding is the same and every caption embedding is the same (the model collapsed to
   * a constant, and every ranking is a tie). From {@code |<x,y> - <x0,y0>| <= |x-x0||y| + |x0||y-y0|},
   * in time linear in the embeddings rather than quadratic; computed on the device in float64, one read.
   */
  public double similaritySpreadBound() {
    try (NDManager scope = images.getManager().newSubManager()) {
      NDArray img = images.toType(DataType.FLOAT64, true);
      NDArray cap = captions.toType(DataType.FLOAT64, true);
      img.attach(scope);
      cap.attach(scope);
      NDArray stats = NDArrays.stack(new NDList(maxRowNorm(img), maxRowNorm(cap),
          maxRowNorm(img.sub(img.get("0:1"))), maxRowNorm(cap.sub(cap.get("0:1")))));
      double[] v = HostReads.doubles(stats);
      return 2 * (v[2] * v[1] + v[0] * v[3]);
    }
  }

  private static NDArray maxRowNorm(NDArray rows) {
    return rows.square().sum(new int[]{1}).max().sqrt();
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
