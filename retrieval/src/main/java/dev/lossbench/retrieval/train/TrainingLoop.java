package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.eval.Embeddings;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.CaptionTokenizer;
import dev.lossbench.retrieval.data.HuggingFaceCaptionTokenizer;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.data.TokenBatch;
import dev.lossbench.retrieval.data.Vocabulary;
import dev.lossbench.retrieval.eval.RecallMetrics;
import dev.lossbench.retrieval.loss.LossContext;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.loss.PairMask;
import dev.lossbench.retrieval.loss.RetrievalLoss;
import dev.lossbench.retrieval.loss.TripletLoss;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.model.RetrievalModel;
import dev.lossbench.retrieval.model.TorchScriptDualEncoder;
import dev.lossbench.retrieval.model.TorchScriptSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 */
public final class TrainingLoop {
  public static final String LAST = "last.ckpt";
  public static final String BEST = "best.ckpt";
  /** A torchscript model's fine-tuned module (TorchScript, loadable with torch.jit.load) beside last.ckpt / best.ckpt. */
  public static final String LAST_MODULE = "last.pt";
  public static final String BEST_MODULE = "best.pt";

  /**
   * DJL's PyTorch autograd is process-global (one gradient-recording mode, gradients accumulated
   * on shared tensors): two trainings in one JVM at once would corrupt each other, so they queue.
   */
  private static final ReentrantLock ONE_TRAINING_PER_PROCESS = new ReentrantLock();

  private final RetrievalDataset train;
  private final RetrievalDataset dev;
  private final ModelSpec modelSpec;
  private final LossSpec lossSpec;
  private final TrainingConfig config;
  private final long seed;
  /** Checkpoint whose weights and vocabulary a fine-tuning run starts from; null for a cold start. */
  private final Path init;
  /** Name prefixes of parameters that are not updated. */
  private final List<String> frozen;
  private String initDigest;
  private String moduleDigest;

  public TrainingLoop(RetrievalDataset train, RetrievalDataset dev, ModelSpec model, LossSpec loss, TrainingConfig config, long seed) {
    this.train = TrainingSubset.of(train, config.trainSubset(), seed);
    this.dev = dev;
    this.modelSpec = model;
    this.lossSpec = loss;
    this.config = config;
    this.seed = seed;
    this.init = null;
    this.frozen = List.of();
  }

  private TrainingLoop(TrainingLoop base, Path init, List<String> frozen) {
    this.train = base.train;
    this.dev = base.dev;
    this.modelSpec = base.modelSpec;
    this.lossSpec = base.lossSpec;
    this.config = base.config;
    this.seed = base.seed;
    this.init = init;
    this.frozen = List.copyOf(frozen);
  }

  /**
   * The same run, fine-tuning: it starts from {@code checkpoint}'s weights and vocabulary instead
   * of fresh ones (parameters the checkpoint lacks, e.g. a learnable temperature the parent's loss
   * did not have, start fresh; the checkpoint's others are ignored) and never updates parameters
   * whose name starts with one of {@code frozenPrefixes} (e.g. {@code text.embedding},
   * {@code image}). The optimiser starts fresh. The checkpoint's bytes are part of the identity.
   */
  public TrainingLoop startingFrom(Path checkpoint, List<String> frozenPrefixes) {
    return new TrainingLoop(this, java.util.Objects.requireNonNull(checkpoint, "checkpoint"), frozenPrefixes);
  }

  /** Freezes parameters by name prefix, from a cold start. */
  public TrainingLoop freezing(List<String> frozenPrefixes) {
    return new TrainingLoop(this, init, frozenPrefixes);
  }

  /** What this run is; a checkpoint carrying another identity is refused on resume. */
  public RunIdentity identity() {
    String training = config.canonical();
    if (init != null) {
      training += " | init " + init.toAbsolutePath().normalize() + " sha256 " + initDigest();
    }
    if (!frozen.isEmpty()) {
      training += " | frozen " + String.join(",", frozen);
    }
    if (modelSpec.isTorchScript()) {
      // the pretrained module's bytes decide the run as much as the spec's text does
      if (moduleDigest == null) {
        moduleDigest = sha256(TorchScriptSpec.of(modelSpec).modulePath());
      }
      training += " | module sha256 " + moduleDigest;
    }
    return new RunIdentity(modelSpec.canonical(), lossSpec.canonical(), training, seed,
        train.description() + " | " + train.images() + " images, " + train.captionCount() + " captions", train.dim());
  }

  private String initDigest() {
    if (initDigest == null) {
      if (!Files.isRegularFile(init)) {
        throw new InvalidInputException(init + ": no checkpoint to start from (does the parent run exist and have a best epoch?)");
      }
      initDigest = sha256(init);
    }
    return initDigest;
  }

  private static String sha256(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": no such file (model torchscript: path): expected a .pt exported with torch.jit.script");
    }
    try {
      return Checkpoint.sha256(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Pair batches per epoch. */
  public int stepsPerEpoch() {
    int per = Math.max(1, train.captionCount() / batchSize());
    return config.maxStepsPerEpoch() > 0 ? Math.min(per, config.maxStepsPerEpoch()) : per;
  }

  private int batchSize() {
    return Math.min(config.batchSize(), train.captionCount());
  }

  /**
   * Trains to the configured number of epochs, continuing from {@code runDir/last.ckpt} when it
   * exists; a run already at its last epoch returns its recorded result without training.
   *
   * @throws DivergedException when the loss or a gradient becomes NaN or infinite
   */
  public TrainingResult run(Path runDir, TrainingListener listener) {
    ONE_TRAINING_PER_PROCESS.lock();
    try (NDManager manager = NDManager.newBaseManager()) {
      return train(manager, runDir, listener);
    } finally {
      ONE_TRAINING_PER_PROCESS.unlock();
    }
  }

  private TrainingResult train(NDManager manager, Path runDir, TrainingListener listener) {
    Autograd.offOnThisThread();
    Path last = runDir.resolve(LAST);
    Path best = runDir.resolve(BEST);
    CheckpointState resumed = Files.exists(last) ? Checkpoint.read(last) : null;
    if (resumed != null && !resumed.run().equals(identity())) {
      throw new CheckpointException(last + ": checkpoint of another run (" + resumed.run() + "), expected " + identity());
    }
    CheckpointState parent = resumed == null && init != null ? Checkpoint.read(init) : null;
    if (parent != null && parent.run().inputDim() != train.dim()) {
      throw new InvalidInputException(init + ": its model reads " + parent.run().inputDim()
          + "-dimensional features, this run's data has " + train.dim());
    }
    // a torchscript model's vocabulary is its tokenizer.json; its checkpoints hold only <pad> and <unk>
    Vocabulary vocab = modelSpec.isTorchScript() ? Vocabulary.build(List.<String>of(), 1)
        : resumed != null ? Vocabulary.of(resumed.vocabulary())
        : parent != null ? Vocabulary.of(parent.vocabulary())
        : Vocabulary.build(train, modelSpec.integer("min_word_count"));
    RetrievalLoss loss = lossSpec.create();
    try (CaptionTokenizer tokenizer = TrainedModel.tokenizer(modelSpec, vocab);
        RetrievalModel model = TrainedModel.createModel(manager, modelSpec, lossSpec, train.dim(), vocab.size(), seed);
        AdamW optimizer = new AdamW(manager, model.parameterArrays(), config.weightDecay())) {
      Position pos = new Position();
      if (model instanceof TorchScriptDualEncoder ts && tokenizer instanceof HuggingFaceCaptionTokenizer hf) {
        ts.checkVocabulary(hf.vocabSize(), hf.file().toString());
      }
      checkFrozenPrefixes(model);
      if (model instanceof TorchScriptDualEncoder) {
        // frozen module parameters need no gradients: backward skips a frozen tower entirely
        model.parameterArrays().forEach((name, p) -> {
          if (isFrozen(name)) {
            p.setRequiresGradient(false);
          }
        });
      }
      if (parent != null) {
        Map<String, float[]> start = model.parameterValues();
        start.replaceAll((name, fresh) -> parent.parameters().getOrDefault(name, fresh));
        model.loadParameters(start, init.toString());
      }
      if (resumed != null) {
        model.loadParameters(resumed.parameters(), last.toString());
        optimizer.restore(resumed.optimizer(), resumed.optimizerSteps());
        pos.restore(resumed);
      }
      int steps = stepsPerEpoch();
      LearningRateSchedule schedule = new LearningRateSchedule(config, steps);
      while (pos.epoch < config.epochs()) {
        if (pos.step == 0 && lossSwitchesAt(loss, pos.epoch) && config.resetOptimizerOnLossSwitch()) {
          optimizer.reset();
        }
        int[] order = pairOrder(pos.epoch);
        double lr = schedule.at(pos.epoch, pos.globalStep);
        while (pos.step < steps) {
          lr = schedule.at(pos.epoch, pos.globalStep);
          long t0 = System.nanoTime();
          StepResult r = step(manager, model, optimizer, loss, tokenizer, order, pos, lr);
          pos.record(r, (System.nanoTime() - t0) / 1e9);
          listener.onStep(pos.epoch, pos.step - 1, steps, r.loss, pos.samplesPerSecond(batchSize()));
          if (config.checkpointEverySteps() > 0 && pos.step % config.checkpointEverySteps() == 0 && pos.step < steps) {
            Checkpoint.write(last, state(pos, vocab, model, optimizer));
            listener.onCheckpoint(pos.epoch, pos.step);
          }
        }
        long v0 = System.nanoTime();
        RecallMetrics val;
        try (NDScope scope = new NDScope()) {
          val = Embeddings.recall(model, dev, tokenizer, manager, 1);
        }
        double seconds = pos.epochSeconds + (System.nanoTime() - v0) / 1e9;
        EpochMetrics m = new EpochMetrics(pos.epoch, pos.epochLossSum / steps, val, lr, pos.epochGradNormSum / steps,
            seconds, pos.samplesPerSecond(batchSize()));
        pos.history.add(m);
        boolean improved = val.rsum() > pos.bestRsum;
        if (improved) {
          pos.bestRsum = val.rsum();
          pos.bestEpoch = pos.epoch;
        }
        listener.onEpoch(m);
        pos.nextEpoch();
        Checkpoint.write(last, state(pos, vocab, model, optimizer));
        boolean exported = model.export(runDir.resolve(LAST_MODULE));
        if (improved) {
          copyAtomically(last, best);
          if (exported) {
            copyAtomically(runDir.resolve(LAST_MODULE), runDir.resolve(BEST_MODULE));
          }
        }
        listener.onCheckpoint(pos.epoch, 0);
      }
      return new TrainingResult(List.copyOf(pos.history), pos.bestEpoch, pos.bestRsum, last, best);
    }
  }

  private static boolean lossSwitchesAt(RetrievalLoss loss, int epoch) {
    return epoch > 0 && loss instanceof TripletLoss t && t.hardestAt(epoch) && !t.hardestAt(epoch - 1);
  }

  /** Caption indices in this epoch's order: a shuffle seeded by (seed, epoch) alone. */
  int[] pairOrder(int epoch) {
    int n = train.captionCount();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(Seeds.derive(seed, 0x5348554646L, epoch));
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private record StepResult(double loss, double gradNorm) {}

  private StepResult step(NDManager manager, RetrievalModel model, AdamW optimizer, RetrievalLoss loss, CaptionTokenizer tokenizer,
      int[] order, Position pos, double lr) {
    int b = batchSize();
    int[] images = new int[b];
    long[] groups = new long[b];
    List<String> texts = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      int caption = order[pos.step * b + i];
      images[i] = train.imageOf(caption);
      groups[i] = images[i];
      texts.add(train.caption(caption));
    }
    RegionBatch regions = model.augment(train.readImages(images),
        new SplittableRandom(Seeds.derive(seed, 0x44524f50L, pos.epoch, pos.step)));
    model.beginStep(Seeds.derive(seed, 0x4d41534bL, pos.epoch, pos.step));
    TokenBatch tokens = tokenizer.encode(texts);
    // every array of the step, gradients' handles included, is freed with the scope
    try (NDScope scope = new NDScope(); NDManager sm = manager.newSubManager()) {
      double value;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray[] pair = model.encodePairs(sm, regions, tokens, true);
        NDArray img = pair[0];
        NDArray txt = pair[1];
        NDArray l = loss.loss(img.matMul(txt.transpose()), PairMask.ofGroups(groups),
            new LossContext(pos.epoch, model.logitScale()));
        value = l.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        if (!Double.isFinite(value)) {
          throw new DivergedException(pos.epoch, pos.step, "loss is " + value);
        }
        gc.backward(l);
      }
      Map<String, NDArray> all = model.parameterArrays();
      Map<String, NDArray> params = new LinkedHashMap<>();
      all.forEach((name, p) -> {
        if (!isFrozen(name) && p.hasGradient()) {
          params.put(name, p);
        }
      });
      Map<String, NDArray> grads = new LinkedHashMap<>();
      NDArray sumSq = null;
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray g = e.getValue().getGradient();
        grads.put(e.getKey(), g);
        NDArray s = g.square().sum();
        sumSq = sumSq == null ? s : sumSq.add(s);
      }
      double norm = Math.sqrt(sumSq.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble());
      if (!Double.isFinite(norm)) {
        List<String> bad = grads.entrySet().stream()
            .filter(e -> !Double.isFinite(e.getValue().abs().max().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble()))
            .map(Map.Entry::getKey).toList();
        throw new DivergedException(pos.epoch, pos.step, "gradient norm is " + norm + " (non-finite in " + String.join(", ", bad) + ")");
      }
      // global-norm clipping as torch.nn.utils.clip_grad_norm_ (DJL's clipGrad clamps elements)
      if (config.gradClip() > 0 && norm > config.gradClip()) {
        double scale = config.gradClip() / (norm + 1e-6);
        grads.values().forEach(g -> g.muli(scale));
      }
      if (modelSpec.isTorchScript()) {
        TorchScriptSpec ts = TorchScriptSpec.of(modelSpec);
        optimizer.step(params, grads, name -> ts.learningRate(name, lr, config.lr()));
      } else {
        optimizer.step(params, grads, lr);
      }
      // PyTorch accumulates gradients across backward passes (frozen parameters' too)
      all.values().forEach(p -> {
        if (p.hasGradient()) {
          NDArray g = p.getGradient();
          g.subi(g);
        }
      });
      return new StepResult(value, norm);
    }
  }

  private boolean isFrozen(String name) {
    return frozenPrefixes().stream().anyMatch(name::startsWith);
  }

  /** The run's frozen prefixes and, for a torchscript model, its spec's {@code freeze}. */
  private List<String> frozenPrefixes() {
    if (!modelSpec.isTorchScript() || TorchScriptSpec.of(modelSpec).freeze().isEmpty()) {
      return frozen;
    }
    List<String> all = new ArrayList<>(frozen);
    all.addAll(TorchScriptSpec.of(modelSpec).freeze());
    return all;
  }

  private void checkFrozenPrefixes(RetrievalModel model) {
    List<String> prefixes = frozenPrefixes();
    for (String prefix : prefixes) {
      if (model.parameterArrays().keySet().stream().noneMatch(n -> n.startsWith(prefix))) {
        throw new InvalidInputException("freeze: '" + prefix + "' names no parameter of model " + modelSpec.canonical()
            + ": its parameters are " + model.parameterArrays().keySet());
      }
    }
    if (!prefixes.isEmpty() && model.parameterArrays().entrySet().stream()
        .allMatch(e -> isFrozen(e.getKey()) || !e.getValue().hasGradient())) {
      throw new InvalidInputException("freeze: " + prefixes + " freezes every parameter; nothing would train");
    }
  }

  private CheckpointState state(Position pos, Vocabulary vocab, RetrievalModel model, AdamW optimizer) {
    return new CheckpointState(identity(), pos.epoch, pos.step, pos.globalStep, pos.epochLossSum, pos.epochGradNormSum,
        pos.epochSeconds, pos.bestRsum, pos.bestEpoch, List.copyOf(pos.history), vocab.words(),
        model.parameterValues(), optimizer.state(), optimizer.stepCount());
  }

  private static void copyAtomically(Path from, Path to) {
    Path temp = to.resolveSibling(to.getFileName() + ".part");
    try {
      Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + to, e);
    }
  }

  /** Where the loop is, and the running sums a checkpoint must carry to resume mid-epoch. */
  private static final class Position {
    int epoch;
    int step;
    long globalStep;
    double epochLossSum;
    double epochGradNormSum;
    double epochSeconds;
    double bestRsum = Double.NEGATIVE_INFINITY;
    int bestEpoch = -1;
    final List<EpochMetrics> history = new ArrayList<>();

    void restore(CheckpointState s) {
      epoch = s.epoch();
      step = s.stepInEpoch();
      globalStep = s.globalStep();
      epochLossSum = s.epochLossSum();
      epochGradNormSum = s.epochGradNormSum();
      epochSeconds = s.epochSeconds();
      bestRsum = s.bestRsum();
      bestEpoch = s.bestEpoch();
      history.addAll(s.history());
    }

    void record(StepResult r, double seconds) {
      step++;
      epochLossSum += r.loss;
      epochGradNormSum += r.gradNorm;
      epochSeconds += seconds;
      globalStep++;
    }

    double samplesPerSecond(int batch) {
      return epochSeconds > 0 ? step * (double) batch / epochSeconds : 0;
    }

    void nextEpoch() {
      epoch++;
      step = 0;
      epochLossSum = 0;
      epochGradNormSum = 0;
      epochSeconds = 0;
    }
  }
}
