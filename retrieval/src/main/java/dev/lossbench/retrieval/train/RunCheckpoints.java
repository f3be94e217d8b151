package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.io.AtomicFiles;
import dev.lossbench.retrieval.io.StaleTemporaries;
import dev.lossbench.retrieval.io.StorageException;
import dev.lossbench.retrieval.model.RetrievalModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run directory's checkpoints: the last one (resumed from, rewritten every epoch and every N
 * steps), the previous one (what the last replaced), the best one (a copy of the last at each
 * improvement), and a TorchScript model's exported module beside each.
 *
 * <p>A last checkpoint that cannot be read (truncated by a full disk, cut short by a copy) is not
 * the end of the run: it resumes from the previous one, with a warning, and loses one checkpoint
 * interval. One of another run is refused either way.
 */
final class RunCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(RunCheckpoints.class);

  private final Path runDir;
  /** Asked only when a checkpoint is there to compare: a fresh run without its init file fails reading that file. */
  private final Supplier<RunIdentity> identity;
  /** Asked just before any checkpoint file is put in place; throws when this attempt may no longer write. */
  private final Runnable fence;
  private final Consumer<String> warnings;
  /** Run now and then while a checkpoint or a module is being written: a large model's save takes minutes. */
  private final Runnable saving;
  /** Whether best.ckpt carries the optimizer state ({@link CheckpointRetention#ALL}). */
  private final boolean bestKeepsOptimizer;
  /** The file {@link #resumable()} read, for messages. */
  private Path resumedFrom;

  RunCheckpoints(Path runDir, Supplier<RunIdentity> identity) {
    this(runDir, identity, () -> {}, w -> {}, () -> {}, true);
  }

  RunCheckpoints(Path runDir, Supplier<RunIdentity> identity, Runnable fence, Consumer<String> warnings,
      Runnable saving, boolean bestKeepsOptimizer) {
    this.bestKeepsOptimizer = bestKeepsOptimizer;
    this.runDir = runDir;
    this.identity = identity;
    this.fence = fence;
    this.warnings = warnings;
    this.saving = saving;
  }

  Path last() {
    return ArtifactsLayout.lastCheckpoint(runDir);
  }

  Path previous() {
    return ArtifactsLayout.previousCheckpoint(runDir);
  }

  Path best() {
    return ArtifactsLayout.bestCheckpoint(runDir);
  }

  /** The checkpoint {@link #resumable()} returned was read from (the last or the previous). */
  Path resumedFrom() {
    return resumedFrom;
  }

  /**
   * Removes the {@code .part} files of writes a killed process left in the run directory (each
   * can be as large as a checkpoint); those of this process's own writes are younger than it.
   */
  void removeStaleTemporaries() {
    for (Path p : StaleTemporaries.removePartFiles(runDir, StaleTemporaries.processStart())) {
      LOG.info("removed {}, left by an interrupted write", p);
    }
  }

  /**
   * The run's checkpoint to continue from, or null for a fresh start: the last one, else the
   * previous one when the last is missing (a crash between the two renames of {@link #saveLast})
   * or unreadable (with a warning); when neither can be read, null with a warning. One of another run is refused.
   * Its arrays are read from the file when the model and the optimiser load them, one at a time ({@link
   * Checkpoint#open}): nothing of it stays on the heap.
   */
  CheckpointState resumable() {
    // the errors below carry no cause: Temporal reports a failure's innermost message, and an
    // EOFException's would replace the file, the problem and the hint
    boolean hasLast = Files.exists(last());
    boolean hasPrevious = Files.exists(previous());
    if (!hasLast && !hasPrevious) {
      return null;
    }
    CheckpointException lastProblem = null;
    if (hasLast) {
      CheckpointState s = null;
      try {
        s = Checkpoint.open(last());
      } catch (CheckpointException e) {
        lastProblem = e;
      }
      if (s != null) {
        return checked(s, last());
      }
    }
    // nothing readable to continue from: the run trains from the start (its seed makes that the same run) rather
    // than failing until someone deletes the directory by hand; the unreadable file is rotated away by the next save
    if (!hasPrevious) {
      return fromTheStart(lastProblem.getMessage() + "; there is no previous checkpoint (" + previous() + ")");
    }
    CheckpointState s;
    try {
      s = Checkpoint.open(previous());
    } catch (CheckpointException e) {
      return fromTheStart((lastProblem != null ? lastProblem.getMessage() + "; and " : "") + e.getMessage());
    }
    checked(s, previous());
    if (lastProblem != null) {
      String w = lastProblem.getMessage() + "; resuming from the previous checkpoint " + previous() + " (epoch "
          + s.epoch() + ", step " + s.stepInEpoch() + ")";
      LOG.warn(w);
      warnings.accept(w);
    }
    return s;
  }

  private CheckpointState fromTheStart(String problem) {
    String w = problem + ": training this run from the start";
    LOG.warn(w);
    warnings.accept(w);
    return null;
  }

  /** A checkpoint of another run is refused, never skipped over. */
  private CheckpointState checked(CheckpointState s, Path file) {
    RunIdentity expected = identity.get();
    if (!s.run().equals(expected)) {
      throw new CheckpointException(file + ": checkpoint of another run (" + s.run() + "), expected " + expected);
    }
    resumedFrom = file;
    return s;
  }

  /** The checkpoint a fine-tuning run starts from; its model must read this run's feature size. */
  static CheckpointState parent(Path init, int inputDim) {
    CheckpointState parent = Checkpoint.open(init);
    if (parent.run().inputDim() != inputDim) {
      throw new InvalidInputException(init + ": its model reads " + parent.run().inputDim()
          + "-dimensional features, this run's data has " + inputDim);
    }
    return parent;
  }

  /**
   * Replaces the last checkpoint (mid-epoch), keeping the one it replaces as the previous one. A
   * crash between the two renames leaves only the previous one, which {@link #resumable} reads.
   */
  void saveLast(CheckpointState state) {
    try {
      if (Files.exists(last())) {
        // a stale attempt must not rotate the newer attempt's checkpoint away either
        fence.run();
        AtomicFiles.replace(last(), previous());
      }
    } catch (NoSuchFileException gone) {
      // nothing to keep
    } catch (IOException e) {
      throw StorageException.classify("cannot keep the previous checkpoint as", previous(), e);
    }
    Checkpoint.write(last(), state, fence, saving);
  }

  /**
   * At an epoch's end: the best module and checkpoint first when the epoch improved, then the last ones; each
   * module before its checkpoint. The checkpoints are the commit points: a failure anywhere between the writes (a
   * full disk, the store's fence unreachable, a process killed) leaves last.ckpt at the epoch before, and the
   * retry trains this epoch again (exactly: resumption is deterministic) and rewrites every file, so a run never
   * ends with a module older than the checkpoint beside it, nor records a best epoch whose best.ckpt was not written.
   */
  void saveEpoch(CheckpointState state, RetrievalModel model, boolean improved) {
    if (improved) {
      exportModule(model, ArtifactsLayout.bestModule(runDir));
      Checkpoint.write(best(), bestKeepsOptimizer ? state : withoutOptimizer(state), fence, saving);
    }
    exportModule(model, ArtifactsLayout.lastModule(runDir));
    saveLast(state);
  }

  /** The best weights alone: nothing resumes from best.ckpt (evaluation and a later stage read its weights). */
  private static CheckpointState withoutOptimizer(CheckpointState s) {
    return new CheckpointState(s.run(), s.epoch(), s.stepInEpoch(), s.globalStep(), s.epochLossSum(),
        s.epochGradNormSum(), s.epochSeconds(), s.bestRsum(), s.bestEpoch(), s.history(), s.vocabulary(),
        s.parameters(), Map.of(), s.optimizerSteps());
  }

  private void exportModule(RetrievalModel model, Path file) {
    fence.run();
    model.export(file, saving);
  }

}
