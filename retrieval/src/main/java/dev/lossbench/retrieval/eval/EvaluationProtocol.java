package dev.lossbench.retrieval.eval;

import dev.lossbench.retrieval.data.DatasetKind;
import dev.lossbench.retrieval.data.DatasetSplit;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
  MSRVTT1KA("msrvtt1ka", DatasetSplit.TEST, 1),
  /**
   * The generalisation gap: Recall@K on the first n images of the {@code train} split and on the first n
   * images of the primary protocol's split, n = min(train images, test images), each image with the same
   * number of captions ({@link GeneralisationGap}); stored as two result rows, {@value #GAP_TRAIN} and
   * {@value #GAP_TEST}. Allowed for every kind of data, never a dataset's primary protocol.
   */
  GAP("gap", DatasetSplit.TRAIN, 1);

  /** The result row of {@link #GAP} on the training images. */
  public static final String GAP_TRAIN = "gap-train";
  /** The result row of {@link #GAP} on as many test images. */
  public static final String GAP_TEST = "gap-test";

  private final String id;
  private final DatasetSplit split;
  private final int folds;

  /** The protocols each kind of data takes, the default first and {@link #GAP} last. */
  private static final Map<DatasetKind, List<EvaluationProtocol>> OF_KIND = ofKind();

  EvaluationProtocol(String id, DatasetSplit split, int folds) {
    this.id = id;
    this.split = split;
    this.folds = folds;
  }

  /** The name in matrices and in the store's result rows. */
  public String id() {
    return id;
  }

  /**
   * Whether a dataset may rank by it (be its first, primary protocol): every protocol but {@link #GAP},
   * which compares training and test recall on a subset and stores rows under other names.
   */
  public boolean canBePrimary() {
    return this != GAP;
  }

  /** The split the protocol reads ({@link #GAP}: the training split, beside the primary protocol's). */
  public DatasetSplit split() {
    return split;
  }

  /** Folds the split is cut into; figures are averaged over them. */
  public int folds() {
    return folds;
  }

  /**
   * The protocols {@code kind} of data supports; the first is the default. {@link #GAP}, last in every
   * list, is never a default or primary protocol.
   */
  public static List<EvaluationProtocol> forKind(DatasetKind kind) {
    return OF_KIND.get(kind);
  }

  private static Map<DatasetKind, List<EvaluationProtocol>> ofKind() {
    Map<DatasetKind, List<EvaluationProtocol>> protocols = new EnumMap<>(DatasetKind.class);
    protocols.put(DatasetKind.SYNTHETIC, List.of(TEST, GAP));
    protocols.put(DatasetKind.PRECOMP, List.of(TEST, COCO1K, COCO5K, GAP));
    protocols.put(DatasetKind.MSRVTT, List.of(MSRVTT1KA, GAP));
    protocols.put(DatasetKind.KARPATHY, List.of(TEST, GAP));
    protocols.put(DatasetKind.SYNTHETIC_IMAGES, List.of(TEST, GAP));
    for (DatasetKind kind : DatasetKind.values()) {
      if (!protocols.containsKey(kind)) {
        throw new IllegalStateException(kind.id() + ": no test protocols");
      }
      if (!protocols.get(kind).get(0).canBePrimary()) {
        throw new IllegalArgumentException(kind.id() + ": the default protocol must be one a dataset can rank by");
      }
    }
    return protocols;
  }

  public static Optional<EvaluationProtocol> of(String id) {
    return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
  }

  @Override
  public String toString() {
    return id;
  }
}
