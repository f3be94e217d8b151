package dev.lossbench.retrieval.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.data.TokenBatch;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.retrieval.eval.Embeddings;
import dev.lossbench.retrieval.eval.RecallMetrics;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Trains a dual encoder with a retrieval loss on in-batch similarities, validating after every
 * epoch and checkpointing so that a resumed run equals an uninterrupted one.
 *
 * <p>Exact resumption rests on three things: every random choice (pair order, region dropping)
 * is derived from (seed, epoch, step) rather than drawn from a running generator; the learning
 * rate and Triplet-HN's warm-up are functions of the position; and the checkpoint holds the
 * weights, AdamW's moments and step count, and the position inside the epoch.
 *
 * <p>Batches pair each caption with its image (every caption once per epoch, as VSE does); two
 * captions of one image in a batch are masked out of each other's negatives. The last partial
 * batch of an epoch is dropped so every step sees the same number of negatives.
 *
 * <p>With {@code train_subset} below all images, the loop trains on {@link TrainingSubset} (the
 * images chosen by the run seed, with their captions); the vocabulary is built from those captions.
 *
 * <p>The rooms around the loop: {@link TrainingSetup} (what the run is, its identity),
 * {@link ModelAssembly} (model, tokenizer, loss, optimiser, frozen parameters), {@link TrainingStep}
 * (one update) and {@link RunCheckpoints} (the run directory's files).
 */
public final class TrainingLoop {
  /**
   * DJL's PyTorch autograd is process-global (one gradient-recording mode, gradients accumulated
   * on shared tensors): two trainings in one JVM at once would corrupt each other, so they queue.
   */
  private static final ReentrantLock ONE_TRAINING_PER_PROCESS = new ReentrantLock();

  private final TrainingSetup setup;

  public TrainingLoop(RetrievalDataset train, RetrievalDataset dev, ModelSpec model, LossSpec loss,
      TrainingConfig config, long seed) {
    this(new TrainingSetup(TrainingSubset.of(train, config.trainSubset(), seed), dev, model, loss, config, seed, null,
        List.of()));
  }

  private TrainingLoop(TrainingSetup setup) {
    this.setup = setup;
  }

  /**
   * The same run, fine-tuning: it starts from {@code checkpoint}'s weights and vocabulary instead
   * of fresh ones (parameters the checkpoint lacks, e.g. a learnable temperature the parent's loss
   * did not have, start fresh; the checkpoint's others are ignored) and never updates parameters
   * whose name starts with one of {@code frozenPrefixes} (e.g. {@code text.embedding},
   * {@code image}). The optimiser starts fresh. The checkpoint's bytes are part of the identity.
   */
  public TrainingLoop startingFrom(Path checkpoint, List<String> frozenPrefixes) {
    return new TrainingLoop(setup.startingFrom(checkpoint, frozenPrefixes));
  }

  /**
   * {@link #startingFrom(Path, List)} from a checkpoint whose SHA-256 is known already (an {@code init: {checkpoint}}
   * file, hashed when the matrix was read): the identity takes that hash and the file is not hashed again.
   */
  public TrainingLoop startingFrom(Path checkpoint, String checkpointSha256, List<String> frozenPrefixes) {
    return new TrainingLoop(setup.startingFrom(checkpoint, checkpointSha256, frozenPrefixes));
  }

  /** Freezes parameters by name prefix, from a cold start. */
  public TrainingLoop freezing(List<String> frozenPrefixes) {
    return new TrainingLoop(setup.freezing(frozenPrefixes));
  }

  /** What this run is; a checkpoint carrying another identity is refused on resume. */
  public RunIdentity identity() {
    return setup.identity();
  }

  /** Pair batches per epoch. */
  public int stepsPerEpoch() {
    return setup.stepsPerEpoch();
  }

  /**
   * Trains to the configured number of epochs, continuing from the run directory's last
   * checkpoint when it exists; a run already at its last epoch returns its recorded result
   * without training.
   *
   * @throws DivergedException when the loss or a gradient becomes NaN or infinite, or the model
   *     collapsed or stopped learning (see {@link Collapse})
   * @throws dev.lossbench.retrieval.InvalidInputException when the training or validation features
   *     hold a NaN or infinity (checked before the first step), naming the file and row
   */
  public TrainingResult run(Path runDir, TrainingListener listener) {
    return run(runDir, listener, setup.config.epochs());
  }

  /**
   * As {@link #run(Path, TrainingListener)}, but stops once {@code untilEpochs} epochs are done (validated and
   * checkpointed): a rung of early stopping. Everything else — the learning-rate schedule above all — is that of the
   * configured epochs, so that a run trained in pieces, each continuing from the last checkpoint, equals one trained
   * in one go. A run already past {@code untilEpochs} returns its recorded result without training.
   */
  public TrainingResult run(Path runDir, TrainingListener listener, int untilEpochs) {
    if (untilEpochs < 1) {
      throw new IllegalArgumentException("untilEpochs must be at least 1, got " + untilEpochs);
    }
    ONE_TRAINING_PER_PROCESS.lock();
    try (NDManager manager = EngineSettings.newBaseManager()) {
      return train(manager, runDir, listener, Math.min(untilEpochs, setup.config.epochs()));
    } finally {
      ONE_TRAINING_PER_PROCESS.unlock();
    }
  }

  private TrainingResult train(NDManager manager, Path runDir, TrainingListener listener, int untilEpochs) {
    Autograd.offOnThisThread();
    RunCheckpoints checkpoints = new RunCheckpoints(runDir, setup::identity, listener::beforeCheckpointReplace,
        listener::onWarning, listener::onSaving, setup.config.checkpoints().bestKeepsOptimizer());
    checkpoints.removeStaleTemporaries();
    CheckpointState resumed = checkpoints.resumable();
    if (resumed == null) {
      // bad input is a data error before any training, not a loss that diverges an epoch later
      setup.train.requireFiniteFeatures();
      setup.dev.requireFiniteFeatures();
    }
    CheckpointState parent = resumed == null && setup.init != null
        ? RunCheckpoints.parent(setup.init, setup.train.dim())
        : null;
    try (ModelAssembly a = ModelAssembly.assemble(manager, setup, resumed, checkpoints.resumedFrom(), parent)) {
      TrainingPosition pos = new TrainingPosition();
      if (resumed != null) {
        pos.restore(resumed);
      }
      // the model and the optimizer hold them now: a large module's checkpoint must not stay on the heap all run
      resumed = null;
      parent = null;
      int steps = setup.stepsPerEpoch();
      TrainingStep trainingStep = new TrainingStep(a, setup.config, steps);
      int batch = setup.batchSize();
      LearningRateSchedule schedule = new LearningRateSchedule(setup.config, steps);
      while (pos.epoch < untilEpochs) {
        if (pos.step == 0 && a.loss.switchesModeAt(pos.epoch) && setup.config.resetOptimizerOnLossSwitch()) {
          a.optimizer.reset();
        }
        int[] order = pairOrder(pos.epoch);
        double lr = schedule.at(pos.epoch, pos.globalStep);
        while (pos.step < steps) {
          lr = schedule.at(pos.epoch, pos.globalStep);
          long t0 = System.nanoTime();
          TrainingStep.Result r = step(manager, trainingStep, a, order, pos, lr);
          pos.record(r, (System.nanoTime() - t0) / 1e9);
          listener.onStep(pos.epoch, pos.step - 1, steps, r.loss(), pos.samplesPerSecond(batch));
          if (setup.config.checkpointEverySteps() > 0 && pos.step % setup.config.checkpointEverySteps() == 0
              && pos.step < steps) {
            checkpoints.saveLast(pos.state(setup.identity(), a));
            listener.onCheckpoint(pos.epoch, pos.step);
          }
        }
        long v0 = System.nanoTime();
        RecallMetrics val;
        double similaritySpread;
        // the dev embeddings live on the device until validation is done, then go with the sub-manager
        try (NDScope scope = new NDScope(); NDManager vm = manager.newSubManager()) {
          int epoch = pos.epoch;
          Embeddings dev = Embeddings.of(a.model, setup.dev, a.tokenizer, vm,
              (done, total) -> listener.onValidation(epoch, done, total));
          val = dev.recall(setup.dev, vm, 1);
          similaritySpread = dev.similaritySpreadBound();
        }
        double seconds = pos.epochSeconds + (System.nanoTime() - v0) / 1e9;
        EpochMetrics m = new EpochMetrics(pos.epoch, pos.epochLossSum / steps, val, lr, pos.epochGradNormSum / steps,
            seconds, pos.samplesPerSecond(batch));
        boolean improved = pos.finishEpoch(m);
        listener.onEpoch(m);
        // finite but meaningless: stop before the epoch is checkpointed (and its score could be ranked)
        String collapse = Collapse.collapsedEmbeddings(similaritySpread);
        if (collapse == null) {
          collapse = Collapse.noLearning(pos.history, setup.dev.images());
        }
        if (collapse != null) {
          throw new DivergedException(pos.epoch, steps, collapse);
        }
        pos.nextEpoch();
        checkpoints.saveEpoch(pos.state(setup.identity(), a), a.model, improved);
        listener.onCheckpoint(pos.epoch, 0);
      }
      return new TrainingResult(List.copyOf(pos.history), pos.bestEpoch, pos.bestRsum, checkpoints.last(),
          checkpoints.best());
    }
  }

  /** Caption indices in this epoch's order: a shuffle seeded by (seed, epoch) alone. */
  int[] pairOrder(int epoch) {
    int n = setup.train.captionCount();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(Seeds.derive(setup.seed, 0x5348554646L, epoch));
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** The step's batch (its captions, their images augmented by a (seed, epoch, step) draw), trained on. */
  private TrainingStep.Result step(NDManager manager, TrainingStep trainingStep, ModelAssembly a, int[] order,
      TrainingPosition pos, double lr) {
    RetrievalDataset train = setup.train;
    int b = setup.batchSize();
    int[] images = new int[b];
    long[] groups = new long[b];
    List<String> texts = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      int caption = order[pos.step * b + i];
      images[i] = train.imageOf(caption);
      groups[i] = images[i];
      texts.add(train.caption(caption));
    }
    RegionBatch regions = a.model.augment(train.readImages(images),
        new SplittableRandom(Seeds.derive(setup.seed, 0x44524f50L, pos.epoch, pos.step)));
    TokenBatch tokens = a.tokenizer.encode(texts);
    return trainingStep.run(manager, regions, tokens, groups,
        Seeds.derive(setup.seed, 0x4d41534bL, pos.epoch, pos.step), pos.epoch, pos.step, lr);
  }
}
