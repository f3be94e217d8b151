package dev.lossbench.retrieval.eval;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.data.CaptionTokenizer;
import dev.lossbench.retrieval.data.FirstImages;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.model.RetrievalModel;

/**
 * Training recall beside test recall on galleries of the same size ({@link EvaluationProtocol#GAP}): Recall@K
 * on the first n images of the training split and on the first n images of the test split, n = min(training
 * images, test images), every image with k captions, k = the fewest any of those images has (the test
 * split's K when the training split has as many). Recall@K falls as the gallery grows, so only equal
 * galleries make train − test a gap rather than a difference of sizes. A model that has memorised its
 * training pairs shows a large gap; one that generalises, a small one.
 *
 * @param images n, the gallery size of both
 * @param captionsPerImage k, the captions of each image in both
 * @param train Recall@K on the first n training images
 * @param test Recall@K on the first n test images
 */
public record GeneralisationGap(int images, int captionsPerImage, RecallMetrics train, RecallMetrics test) {

  /** The two evaluations of {@code model}; the splits are read only as far as their first n images. */
  public static GeneralisationGap evaluate(RetrievalModel model, RetrievalDataset trainSplit,
      RetrievalDataset testSplit,
      CaptionTokenizer tokenizer, NDManager manager) {
    int n = Math.min(trainSplit.images(), testSplit.images());
    int k = Math.min(FirstImages.fewestCaptions(trainSplit, n), FirstImages.fewestCaptions(testSplit, n));
    RecallMetrics train = Embeddings.recall(model, FirstImages.of(trainSplit, n, k), tokenizer, manager, 1);
    RecallMetrics test = Embeddings.recall(model, FirstImages.of(testSplit, n, k), tokenizer, manager, 1);
    return new GeneralisationGap(n, k, train, test);
  }
}
