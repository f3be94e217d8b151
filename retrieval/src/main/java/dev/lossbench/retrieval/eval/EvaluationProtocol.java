package dev.lossbench.retrieval.eval;

import dev.lossbench.retrieval.data.DatasetSplit;
import java.util.Arrays;
import java.util.Optional;

/** How a trained run is tested: which split, in how many folds. A matrix names them by {@link #id()}. */
public enum EvaluationProtocol {
  /** The {@code test} split, all images at once (Flickr30K 1K, the synthetic scenes). */
  TEST("test", DatasetSplit.TEST, 1),
  /** COCO 1K: every figure averaged over 5 folds of 1000 images of {@code testall}. */
  COCO1K("coco1k", DatasetSplit.TESTALL, 5),
  /** COCO 5K: all 5000 images of {@code testall}. */
  COCO5K("coco5k", DatasetSplit.TESTALL, 1),
  /** MSR-VTT 1k-A: the 1000 test videos, one sentence each. */
  MSRVTT1KA("msrvtt1ka", DatasetSplit.TEST, 1);

  private final String id;
  private final DatasetSplit split;
  private final int folds;

  EvaluationProtocol(String id, DatasetSplit split, int folds) {
    this.id = id;
    this.split = split;
    this.folds = folds;
  }

  /** The name in matrices and in the store's result rows. */
  public String id() {
    return id;
  }

  /** The split the protocol reads. */
  public DatasetSplit split() {
    return split;
  }

  /** Folds the split is cut into; figures are averaged over them. */
  public int folds() {
    return folds;
  }

  public static Optional<EvaluationProtocol> of(String id) {
    return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
  }

  @Override
  public String toString() {
    return id;
  }
}
