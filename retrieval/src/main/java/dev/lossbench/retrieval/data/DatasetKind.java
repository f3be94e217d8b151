package dev.lossbench.retrieval.data;

import dev.lossbench.retrieval.eval.EvaluationProtocol;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a dataset comes from, and so which matrix keys and test protocols it takes. The file
 * layouts are those of {@code dev.lossbench.retrieval.data}.
 */
public enum DatasetKind {
  /** Generated scenes ({@code SyntheticScenes}); knobs under {@code params}. */
  SYNTHETIC("synthetic", List.of("params"), List.of(EvaluationProtocol.TEST, EvaluationProtocol.GAP)),
  /** A SCAN/VSE precomp directory (Flickr30K, MSCOCO). */
  PRECOMP("precomp", List.of("path", "captions_per_image"),
      List.of(EvaluationProtocol.TEST, EvaluationProtocol.COCO1K, EvaluationProtocol.COCO5K, EvaluationProtocol.GAP)),
  /** An MSR-VTT directory: CLIP4Clip split files and frame features. */
  MSRVTT("msrvtt", List.of("path", "max_frames"), List.of(EvaluationProtocol.MSRVTT1KA, EvaluationProtocol.GAP)),
  /** Raw images with a Karpathy-split captions file (dataset_flickr30k.json, dataset_coco.json). */
  KARPATHY("karpathy", List.of("path", "captions_per_image"), List.of(EvaluationProtocol.TEST, EvaluationProtocol.GAP)),
  /** The synthetic scenes rendered as 64×64 PNGs in the Karpathy layout; knobs under {@code params}. */
  SYNTHETIC_IMAGES("synthetic-images", List.of("params"), List.of(EvaluationProtocol.TEST, EvaluationProtocol.GAP));

  private final String id;
  private final List<String> parameters;
  private final List<EvaluationProtocol> protocols;

  DatasetKind(String id, List<String> ownKeys, List<EvaluationProtocol> protocols) {
    if (!protocols.get(0).canBePrimary()) {
      throw new IllegalArgumentException(id + ": the default protocol must be one a dataset can rank by");
    }
    this.id = id;
    this.parameters = ownKeys;
    this.protocols = protocols;
  }

  public String id() {
    return id;
  }

  /** Whether the data is generated from knobs (no path). */
  public boolean isSynthetic() {
    return this == SYNTHETIC || this == SYNTHETIC_IMAGES;
  }

  /**
   * The protocols this kind of data supports; the first is the default. {@link EvaluationProtocol#GAP}, last
   * in every list, is never a default or primary protocol.
   */
  public List<EvaluationProtocol> protocols() {
    return protocols;
  }

  /** The parameters a dataset of this kind is described by (a matrix's keys besides the common ones). */
  public List<String> parameters() {
    return parameters;
  }

  public static Optional<DatasetKind> of(String id) {
    return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
  }

  public static String known() {
    return Arrays.stream(values()).map(DatasetKind::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
