package dev.lossbench.retrieval.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.TokenBatch;
import dev.lossbench.retrieval.loss.LossContext;
import dev.lossbench.retrieval.loss.PairMask;
import dev.lossbench.retrieval.model.ParameterGroups;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One optimisation step on a prepared batch: forward, loss, backward, global-norm clipping, the
 * AdamW update, and clearing the gradients.
 *
 * <p>Everything stays in the engine except two scalars the step returns (and the metrics record):
 * the loss, read before backward so a non-finite loss stops the run, and the gradient norm, which
 * decides the clipping. The per-parameter diagnosis of a non-finite gradient reads more, on the
 * way to failing.
 */
final class TrainingStep {
  /** The step's loss and gradient norm (before clipping). */
  record Result(double loss, double gradNorm) {}

  private final ModelAssembly assembly;
  private final ParameterGroups parameterGroups;
  private final double gradClip;
  private final double baseLr;

  TrainingStep(ModelAssembly assembly, TrainingConfig config) {
    this.assembly = assembly;
    this.parameterGroups = assembly.model.parameterGroups();
    this.gradClip = config.gradClip();
    this.baseLr = config.lr();
  }

  /**
   * @param groups the batch's caption groups (its images): same-group pairs are not negatives
   * @param stepSeed seeds the model's engine-side randomness (dropout) for this step
   * @param lr the scheduled learning rate
   * @throws DivergedException when the loss or the gradient norm is not finite
   */
  Result run(NDManager manager, RegionBatch regions, TokenBatch tokens, long[] groups, long stepSeed,
      int epoch, int step, double lr) {
    assembly.model.beginStep(stepSeed);
    // every array of the step, gradients' handles included, is freed with the scope
    try (NDScope scope = new NDScope(); NDManager sm = manager.newSubManager()) {
      double loss = forwardBackward(sm, regions, tokens, groups, epoch, step);
      Map<String, NDArray> all = assembly.model.parameterArrays();
      Map<String, NDArray> params = new LinkedHashMap<>();
      Map<String, NDArray> grads = new LinkedHashMap<>();
      all.forEach((name, p) -> {
        if (!assembly.isFrozen(name) && p.hasGradient()) {
          params.put(name, p);
          grads.put(name, p.getGradient());
        }
      });
      double norm = clip(grads, epoch, step);
      assembly.optimizer.step(params, grads, name -> parameterGroups.learningRate(name, lr, baseLr));
      // PyTorch accumulates gradients across backward passes (frozen parameters' too)
      all.values().forEach(p -> {
        if (p.hasGradient()) {
          NDArray g = p.getGradient();
          g.subi(g);
        }
      });
      return new Result(loss, norm);
    }
  }

  /** The loss of the batch's in-batch similarities, its gradients accumulated on the parameters. */
  private double forwardBackward(NDManager sm, RegionBatch regions, TokenBatch tokens, long[] groups, int epoch, int step) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray[] pair = assembly.model.encodePairs(sm, regions, tokens, true);
      NDArray sims = pair[0].matMul(pair[1].transpose());
      NDArray l = assembly.loss.loss(sims, PairMask.ofGroups(groups), new LossContext(epoch, assembly.model.logitScale()));
      double value = scalar(l);
      if (!Double.isFinite(value)) {
        throw new DivergedException(epoch, step, "loss is " + value);
      }
      gc.backward(l);
      return value;
    }
  }

  /** The global gradient norm; gradients scaled in place to {@code grad_clip} when above it, as torch.nn.utils.clip_grad_norm_. */
  private double clip(Map<String, NDArray> grads, int epoch, int step) {
    NDArray sumSq = null;
    for (NDArray g : grads.values()) {
      NDArray s = g.square().sum();
      sumSq = sumSq == null ? s : sumSq.add(s);
    }
    double norm = Math.sqrt(scalar(sumSq));
    if (!Double.isFinite(norm)) {
      List<String> bad = grads.entrySet().stream()
          .filter(e -> !Double.isFinite(scalar(e.getValue().abs().max())))
          .map(Map.Entry::getKey).toList();
      throw new DivergedException(epoch, step, "gradient norm is " + norm + " (non-finite in " + String.join(", ", bad) + ")");
    }
    // DJL's clipGrad clamps elements instead
    if (gradClip > 0 && norm > gradClip) {
      double scale = gradClip / (norm + 1e-6);
      grads.values().forEach(g -> g.muli(scale));
    }
    return norm;
  }

  private static double scalar(NDArray a) {
    return a.toType(DataType.FLOAT64, false).getDouble();
  }
}
