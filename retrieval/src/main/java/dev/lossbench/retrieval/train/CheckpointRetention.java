package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.io.ArtifactsLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What a run keeps on disk (the training setting {@code checkpoints}). While a run trains it always has the one
 * resumable checkpoint (last.ckpt: weights and optimizer state), the one before it (prev.ckpt, the fallback for an
 * unreadable last) and the best weights; what it keeps after success is the policy's. A CLIP ViT-B/32-sized
 * module's weights are 0.6 GB and AdamW's moments twice that: keeping everything cost 6.2 GB per run.
 */
public enum CheckpointRetention {
  /** The best weights (best.ckpt without optimizer state) and the best module: all that evaluation reads. */
  BEST("best"),
  /** Also the last checkpoint (resumable, e.g. to train more epochs) and the last module. */
  BEST_AND_LAST("best+last"),
  /** Everything: the previous checkpoint too, and the best checkpoint with its optimizer state. */
  ALL("all");

  private final String word;

  CheckpointRetention(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  static List<String> words() {
    return Arrays.stream(values()).map(CheckpointRetention::word).toList();
  }

  static CheckpointRetention of(String word) {
    return Arrays.stream(values()).filter(r -> r.word.equals(word)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("checkpoints: " + word + ", expected one of " + words()));
  }

  /** Whether best.ckpt carries the optimizer state: nothing resumes from it, evaluation and stages read weights. */
  boolean bestKeepsOptimizer() {
    return this == ALL;
  }

  /**
   * Removes what a succeeded run does not keep. Called once the run's success is recorded: a training attempt
   * retried after it (a lost completion) finds no last checkpoint under {@link #BEST} and trains again from the
   * start, to the same weights (training is deterministic), at the cost of the time.
   *
   * @return the files removed
   */
  public List<Path> afterSuccess(Path runDir) {
    List<Path> gone = switch (this) {
      case BEST -> List.of(ArtifactsLayout.previousCheckpoint(runDir), ArtifactsLayout.lastCheckpoint(runDir),
          ArtifactsLayout.lastModule(runDir));
      case BEST_AND_LAST -> List.of(ArtifactsLayout.previousCheckpoint(runDir));
      case ALL -> List.of();
    };
    try {
      for (Path p : gone) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove a checkpoint the run no longer keeps", e);
    }
    return gone;
  }
}
