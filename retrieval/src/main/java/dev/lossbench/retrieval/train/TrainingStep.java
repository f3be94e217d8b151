package dev.lossbench.retrieval.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.TokenBatch;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.retrieval.engine.HostReads;
import dev.lossbench.retrieval.engine.NativeWork;
import dev.lossbench.retrieval.engine.Scalars;
import dev.lossbench.retrieval.loss.InfoNceLoss;
import dev.lossbench.retrieval.loss.LossContext;
import dev.lossbench.retrieval.loss.PairMask;
import dev.lossbench.retrieval.loss.RetrievalLoss;
import dev.lossbench.retrieval.model.ParameterGroups;
import dev.lossbench.retrieval.model.RetrievalModel;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One optimisation step on a prepared batch: forward, loss, backward, global-norm clipping, the
 * AdamW update, and clearing the gradients.
 *
 * <p>Everything stays on the device. The clipping scale {@code min(1, clip / (norm + 1e-6))} (as
 * {@code torch.nn.utils.clip_grad_norm_}) is computed and multiplied in on the device from constants
 * made once; the loss and the gradient norm of each step are stacked into one 2-element array. Every
 * {@code checkEvery} steps (see {@link EngineSettings#lossCheckEvery}: 1 on the CPU) that pair — summed
 * over the steps since the last read — is read to the host in one read and checked: a non-finite loss or
 * norm stops the run ({@link DivergedException}). With 1, that is one host read per step and the check
 * comes before the update, as before; with more, a divergence is seen up to {@code checkEvery − 1}
 * steps late. Reads also happen at the last step of an epoch and at every mid-epoch checkpoint step,
 * so the epoch's sums and a checkpoint's position are always complete. The per-parameter diagnosis of a
 * non-finite gradient reads more, on the way to failing.
 */
public final class TrainingStep {
  /**
   * What the step read: the sums of the loss and of the gradient norm (before clipping) over the steps
   * read now (zero when this step read nothing), and the latest mean loss read (for progress).
   */
  public record Result(double lossSum, double gradNormSum, double loss) {}

  private final RetrievalModel model;
  private final RetrievalLoss loss;
  private final AdamW optimizer;
  private final Predicate<String> frozen;
  private final ParameterGroups parameterGroups;
  private final double gradClip;
  private final double baseLr;
  private final int checkEvery;
  private final int stepsPerEpoch;
  private final int checkpointEvery;
  /** Device constants, made once in the first step's base manager: clip, 1e-6, 1. */
  private NDArray clip;
  private NDArray clipEps;
  private NDArray one;
  /** CLIP's bounds on a learnable log logit scale: [0, ln 100]. */
  private NDArray logScaleMin;
  private NDArray logScaleMax;
  /** Sums since the last read, on the device: [loss, gradient norm]. */
  private NDArray pending;
  private int pendingSteps;
  private double lastLoss = Double.NaN;

  TrainingStep(ModelAssembly assembly, TrainingConfig config, int stepsPerEpoch) {
    this(assembly.model, assembly.loss, assembly.optimizer, assembly::isFrozen, config.gradClip(), config.lr(),
        EngineSettings.lossCheckEvery(EngineSettings.device()), stepsPerEpoch, config.checkpointEverySteps());
  }

  /**
   * @param checkEvery steps between host reads of the loss and gradient norm (≥ 1)
   * @param stepsPerEpoch the epoch's last step always reads (0: no epoch boundary)
   * @param checkpointEvery a step that ends such a block reads (0: none)
   */
  public TrainingStep(RetrievalModel model, RetrievalLoss loss, AdamW optimizer, Predicate<String> frozen,
      double gradClip,
      double baseLr, int checkEvery, int stepsPerEpoch, int checkpointEvery) {
    if (checkEvery < 1) {
      throw new IllegalArgumentException("checkEvery must be at least 1, got " + checkEvery);
    }
    this.model = model;
    this.loss = loss;
    this.optimizer = optimizer;
    this.frozen = frozen;
    this.parameterGroups = model.parameterGroups();
    this.gradClip = gradClip;
    this.baseLr = baseLr;
    this.checkEvery = checkEvery;
    this.stepsPerEpoch = stepsPerEpoch;
    this.checkpointEvery = checkpointEvery;
  }

  /**
   * @param manager a manager that lives as long as this step object (its device constants live there)
   * @param groups the batch's caption groups (its images): same-group pairs are not negatives
   * @param stepSeed seeds the model's engine-side randomness (dropout) for this step
   * @param lr the scheduled learning rate
   * @throws DivergedException when the loss or the gradient norm is not finite
   */
  public Result run(NDManager manager, RegionBatch regions, TokenBatch tokens, long[] groups, long stepSeed,
      int epoch, int step, double lr) {
    // one unit: an exit waits for the backward pass instead of destroying libtorch under it
    return NativeWork.call(() -> step(manager, regions, tokens, groups, stepSeed, epoch, step, lr));
  }

  private Result step(NDManager manager, RegionBatch regions, TokenBatch tokens, long[] groups, long stepSeed,
      int epoch, int step, double lr) {
    if (one == null) {
      NDArray like = model.parameterArrays().values().iterator().next();
      one = Scalars.of(like, 1);
      clip = Scalars.of(like, gradClip > 0 ? gradClip : Double.POSITIVE_INFINITY);
      clipEps = Scalars.of(like, 1e-6);
      logScaleMin = Scalars.of(like, 0);
      logScaleMax = Scalars.of(like, Math.log(InfoNceLoss.MAX_LOGIT_SCALE));
      logScaleMin.attach(manager);
      logScaleMax.attach(manager);
      one.attach(manager);
      clip.attach(manager);
      clipEps.attach(manager);
    }
    model.beginStep(stepSeed);
    boolean read = checkEvery == 1 || (step + 1) % checkEvery == 0 || (stepsPerEpoch > 0 && step + 1 == stepsPerEpoch)
        || (checkpointEvery > 0 && (step + 1) % checkpointEvery == 0);
    // every array of the step, gradients' handles included, is freed with the scope
    try (NDScope scope = new NDScope(); NDManager sm = manager.newSubManager()) {
      NDArray l = forwardBackward(sm, regions, tokens, groups, epoch);
      Map<String, NDArray> all = model.parameterArrays();
      Map<String, NDArray> params = new LinkedHashMap<>();
      Map<String, NDArray> grads = new LinkedHashMap<>();
      all.forEach((name, p) -> {
        if (!frozen.test(name) && p.hasGradient()) {
          params.put(name, p);
          grads.put(name, p.getGradient());
        }
      });
      NDArray norm = grads.isEmpty() ? one.sub(one) : globalNorm(grads.values());
      // the loss's own precision: a float64 loss is summed and read as float64
      DataType t = l.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
      NDArray pair = NDArrays.concat(new NDList(l.reshape(1).toType(t, false), norm.reshape(1).toType(t, false)));
      Result result;
      if (read) {
        if (pending != null) {
          pair.addi(pending);
        }
        result = check(pair, grads, epoch, step);
        if (pending != null) {
          pending.close();
          pending = null;
        }
        pendingSteps = 0;
      } else {
        if (pending == null) {
          pending = pair;
          scope.unregister(pending); // lives across steps; closed at the next read
          pending.attach(manager);
        } else {
          pending.addi(pair);
        }
        pendingSteps++;
        result = new Result(0, 0, lastLoss);
      }
      if (gradClip > 0) {
        // clip / (norm + 1e-6), at most 1: torch.nn.utils.clip_grad_norm_ (DJL's clipGrad clamps elements instead)
        NDArray scale = clip.div(norm.add(clipEps)).minimum(one);
        grads.values().forEach(g -> g.muli(scale));
      }
      optimizer.step(params, grads, name -> parameterGroups.learningRate(name, lr, baseLr));
      clampLogitScale();
      // PyTorch accumulates gradients across backward passes (frozen parameters' too)
      all.values().forEach(p -> {
        if (p.hasGradient()) {
          NDArray g = p.getGradient();
          g.subi(g);
        }
      });
      return result;
    }
  }

  /** The learnable logit scale back into [0, ln 100] after the update, in place (CLIP's clamp on the parameter). */
  private void clampLogitScale() {
    NDArray s = model.logitScale();
    if (s == null || !s.hasGradient()) {
      return;
    }
    NDArray clamped = s.maximum(logScaleMin).minimum(logScaleMax);
    s.subi(s).addi(clamped);
  }

  /** The loss of the batch's in-batch similarities, its gradients accumulated on the parameters. */
  private NDArray forwardBackward(NDManager sm, RegionBatch regions, TokenBatch tokens, long[] groups, int epoch) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray[] pair = model.encodePairs(sm, regions, tokens, true);
      NDArray sims = pair[0].matMul(pair[1].transpose());
      NDArray l = loss.loss(sims, PairMask.ofGroups(groups), new LossContext(epoch, model.logitScale()));
      gc.backward(l);
      return l;
    }
  }

  /** The global L2 norm of all gradients, on the device: the norm of the per-parameter norms. */
  private static NDArray globalNorm(Collection<NDArray> grads) {
    if (grads.size() == 1) {
      return grads.iterator().next().norm();
    }
    NDList norms = new NDList(grads.size());
    for (NDArray g : grads) {
      norms.add(g.norm().reshape(1));
    }
    return NDArrays.concat(norms).norm();
  }

  /** One host read of [loss sum, norm sum] since the last read; throws when either is not finite. */
  private Result check(NDArray pair, Map<String, NDArray> grads, int epoch, int step) {
    double[] v = HostReads.doubles(pair);
    int steps = pendingSteps + 1;
    String when = steps == 1
        ? ""
        : " (summed over steps " + (step - steps + 1) + ".." + step + ", read every " + checkEvery + ")";
    if (!Double.isFinite(v[0])) {
      throw new DivergedException(epoch, step, "loss is " + v[0] + when);
    }
    if (!Double.isFinite(v[1])) {
      List<String> bad = grads.entrySet().stream()
          .filter(e -> !Double.isFinite(HostReads.floats(e.getValue().abs().max())[0]))
          .map(Map.Entry::getKey).toList();
      throw new DivergedException(epoch, step,
          "gradient norm is " + v[1] + when + " (non-finite in " + String.join(", ", bad) + ")");
    }
    lastLoss = v[0] / (double) steps;
    return new Result(v[0], v[1], lastLoss);
  }
}
