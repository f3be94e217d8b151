package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.io.AtomicFiles;
import dev.lossbench.retrieval.model.RetrievalModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A run directory's checkpoints: the last one (resumed from, rewritten every epoch and every N
 * steps), the best one (a copy of the last at each improvement), and a TorchScript model's
 * exported module beside each.
 */
final class RunCheckpoints {
  private final Path runDir;
  /** Asked only when a checkpoint is there to compare: a fresh run without its init file fails reading that file. */
  private final Supplier<RunIdentity> identity;
  /** Asked just before any checkpoint file is put in place; throws when this attempt may no longer write. */
  private final Runnable fence;

  RunCheckpoints(Path runDir, Supplier<RunIdentity> identity) {
    this(runDir, identity, () -> {});
  }

  RunCheckpoints(Path runDir, Supplier<RunIdentity> identity, Runnable fence) {
    this.runDir = runDir;
    this.identity = identity;
    this.fence = fence;
  }

  Path last() {
    return ArtifactsLayout.lastCheckpoint(runDir);
  }

  Path best() {
    return ArtifactsLayout.bestCheckpoint(runDir);
  }

  /** The run's last checkpoint to continue from, or null for a fresh start; one of another run is refused. */
  CheckpointState resumable() {
    if (!Files.exists(last())) {
      return null;
    }
    CheckpointState s = Checkpoint.read(last());
    RunIdentity expected = identity.get();
    if (!s.run().equals(expected)) {
      throw new CheckpointException(last() + ": checkpoint of another run (" + s.run() + "), expected " + expected);
    }
    return s;
  }

  /** The checkpoint a fine-tuning run starts from; its model must read this run's feature size. */
  static CheckpointState parent(Path init, int inputDim) {
    CheckpointState parent = Checkpoint.read(init);
    if (parent.run().inputDim() != inputDim) {
      throw new InvalidInputException(init + ": its model reads " + parent.run().inputDim()
          + "-dimensional features, this run's data has " + inputDim);
    }
    return parent;
  }

  /** Overwrites the last checkpoint (mid-epoch). */
  void saveLast(CheckpointState state) {
    Checkpoint.write(last(), state, fence);
  }

  /** At an epoch's end: the last checkpoint and module, copied to the best ones when the epoch improved. */
  void saveEpoch(CheckpointState state, RetrievalModel model, boolean improved) {
    saveLast(state);
    fence.run();
    boolean exported = model.export(ArtifactsLayout.lastModule(runDir));
    if (improved) {
      copy(last(), best());
      if (exported) {
        copy(ArtifactsLayout.lastModule(runDir), ArtifactsLayout.bestModule(runDir));
      }
    }
  }

  private void copy(Path from, Path to) {
    try {
      AtomicFiles.copy(from, to, fence);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + to, e);
    }
  }
}
