package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.data.DatasetKind;
import dev.lossbench.retrieval.data.SyntheticConfig;
import dev.lossbench.retrieval.eval.EvaluationProtocol;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One validated dataset of a matrix. Plain data (Temporal passes it through Jackson inside a
 * {@link Cell}): real data is named by its directory, synthetic data by its generator knobs.
 *
 * @param name the matrix's name for it (display only: it is not part of any identity)
 * @param kind where the data comes from and its format (synthetic, precomp, msrvtt, karpathy, synthetic-images)
 * @param path absolute, normalised directory of real data ({@code ${VAR}}s expanded, relative
 *     paths resolved against the matrix file's directory); {@code null} for synthetic data
 * @param synthetic the generator's knobs; {@code null} for real data
 * @param captionsPerImage consecutive captions per image: the precomp K, the synthetic knob, 1 for
 *     MSR-VTT (the 1k-A test pairs one sentence with each video)
 * @param maxFrames MSR-VTT frame slots per video; 0 for other kinds
 * @param protocols test protocols, at least one; the first is the one leaderboards rank by, never
 *     {@link EvaluationProtocol#GAP}
 * @param init where its cells start from (a fine-tuning stage), or {@code null}: a cold start. Not
 *     part of {@link #identity()} or {@link #id()} (the prepared data is the same); part of each
 *     cell's identity through its parent cell
 * @param losses the canonical loss variants its cells train with (a subset of the matrix's, e.g.
 *     one pretraining loss for a source stage); empty: every variant of the matrix
 */
public record DatasetSpec(String name, DatasetKind kind, String path, SyntheticConfig synthetic,
    int captionsPerImage, int maxFrames, List<EvaluationProtocol> protocols, StageInit init, List<String> losses) {

  /** A dataset whose cells start cold. */
  public DatasetSpec(String name, DatasetKind kind, String path, SyntheticConfig synthetic,
      int captionsPerImage, int maxFrames, List<EvaluationProtocol> protocols) {
    this(name, kind, path, synthetic, captionsPerImage, maxFrames, protocols, null, List.of());
  }

  /** The same dataset, its cells starting from {@code init}. */
  public DatasetSpec withInit(StageInit stageInit) {
    return new DatasetSpec(name, kind, path, synthetic, captionsPerImage, maxFrames, protocols, stageInit, losses);
  }

  /** The same dataset, its cells training only with these canonical loss variants (empty: all). */
  public DatasetSpec withLosses(List<String> only) {
    return new DatasetSpec(name, kind, path, synthetic, captionsPerImage, maxFrames, protocols, init, only);
  }

  /** Whether its cells train with this canonical loss variant of the matrix. */
  public boolean trainsWith(String loss) {
    return losses.isEmpty() || losses.contains(loss);
  }

  public DatasetSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    if (kind.isSynthetic() != (synthetic != null) || kind.isSynthetic() == (path != null)) {
      throw new IllegalArgumentException("dataset " + name + ": a " + kind
          + " dataset has " + (kind.isSynthetic() ? "generator knobs and no path" : "a path and no generator knobs"));
    }
    if (protocols == null || protocols.isEmpty() || !EvaluationProtocol.forKind(kind).containsAll(protocols)) {
      throw new IllegalArgumentException(
          "dataset " + name + ": protocols " + protocols + " for a " + kind + " dataset");
    }
    if (!protocols.get(0).canBePrimary()) {
      throw new IllegalArgumentException(
          "dataset " + name + ": " + protocols.get(0) + " cannot be the primary protocol");
    }
    protocols = List.copyOf(protocols);
    losses = losses == null ? List.of() : List.copyOf(losses); // null in payloads from before the field
  }

  /** The directory of real data. */
  public Path directory() {
    if (path == null) {
      throw new IllegalStateException("dataset " + name + " is synthetic: it has no directory until prepared");
    }
    return Path.of(path);
  }

  /** The protocol leaderboards rank by (the store's primary split). */
  public EvaluationProtocol primaryProtocol() {
    return protocols.get(0);
  }

  /**
   * Everything that decides the prepared data, as text: the generator's content hash for
   * synthetic data; the directory and how it is read for real data. Test protocols are not part
   * of it (they do not change what is prepared).
   */
  public String identity() {
    return kind.identity(path, synthetic, captionsPerImage, maxFrames);
  }

  /**
   * {@code KIND-HASH} of {@link #identity()}: the key under which the prepared dataset is cached
   * and stored. Equal for the same data under different names or in different matrices.
   */
  public String id() {
    return kind.id() + "-" + Digest.of(identity());
  }
}
