package dev.lossbench.retrieval.io;

import java.nio.file.Path;

/**
 * Where lossbench keeps what it produces under the artifacts root: prepared datasets in
 * {@code datasets/ID}, each run in {@code runs/RUN_ID} with {@code last.ckpt} (every epoch, for
 * resuming), {@code prev.ckpt} (the one before it, resumed from when the last is unreadable) and
 * {@code best.ckpt} (the best validation epoch), and for a TorchScript model the
 * fine-tuned module beside them as {@code last.pt} / {@code best.pt} (loadable with
 * {@code torch.jit.load}). The only place these names are decided.
 */
public record ArtifactsLayout(Path root) {
  private static final String LAST_CHECKPOINT = "last.ckpt";
  private static final String PREVIOUS_CHECKPOINT = "prev.ckpt";
  private static final String BEST_CHECKPOINT = "best.ckpt";
  private static final String LAST_MODULE = "last.pt";
  private static final String BEST_MODULE = "best.pt";

  /** Where the prepared (generated) dataset {@code datasetId} lives. */
  public Path dataset(String datasetId) {
    return root.resolve("datasets").resolve(datasetId);
  }

  /** Where run {@code runId}'s checkpoints live. */
  public Path run(String runId) {
    return root.resolve("runs").resolve(runId);
  }

  /** The checkpoint written after every epoch (and every N steps); a resumed run continues from it. */
  public static Path lastCheckpoint(Path runDir) {
    return runDir.resolve(LAST_CHECKPOINT);
  }

  /**
   * The checkpoint {@link #lastCheckpoint} replaced: kept so that a truncated or corrupt last one
   * (a disk that filled up, a copy cut short) costs one checkpoint interval, not the run.
   */
  public static Path previousCheckpoint(Path runDir) {
    return runDir.resolve(PREVIOUS_CHECKPOINT);
  }

  /** The checkpoint of the epoch with the best validation R-sum. */
  public static Path bestCheckpoint(Path runDir) {
    return runDir.resolve(BEST_CHECKPOINT);
  }

  /** A TorchScript model's module as of {@link #lastCheckpoint}. */
  public static Path lastModule(Path runDir) {
    return runDir.resolve(LAST_MODULE);
  }

  /** A TorchScript model's module as of {@link #bestCheckpoint}. */
  public static Path bestModule(Path runDir) {
    return runDir.resolve(BEST_MODULE);
  }
}
