package dev.lossbench.retrieval.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.engine.HostCopies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * AdamW (Loshchilov & Hutter) with its whole state — both moments and the step count — readable
 * and restorable, so a resumed run continues exactly (DJL's Adam keeps its moments private).
 * Matches PyTorch's {@code torch.optim.AdamW}: decoupled decay {@code p ← p − lr·wd·p}, then the
 * bias-corrected Adam step.
 */
public final class AdamW implements AutoCloseable {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  /** Parameters weight decay applies to (all but CLIP's exclusions for a TorchScript module). */
  private final Predicate<String> decays;
  private final NDManager manager;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long step;

  public AdamW(NDManager parent, Map<String, NDArray> params, double weightDecay) {
    this(parent, params, 0.9, 0.999, 1e-8, weightDecay, name -> true);
  }

  /** AdamW whose weight decay applies only to the parameters {@code decays} accepts (parameter groups). */
  public AdamW(NDManager parent, Map<String, NDArray> params, double weightDecay, Predicate<String> decays) {
    this(parent, params, 0.9, 0.999, 1e-8, weightDecay, decays);
  }

  public AdamW(NDManager parent, Map<String, NDArray> params, double beta1, double beta2, double eps,
      double weightDecay) {
    this(parent, params, beta1, beta2, eps, weightDecay, name -> true);
  }

  private AdamW(NDManager parent, Map<String, NDArray> params, double beta1, double beta2, double eps,
      double weightDecay, Predicate<String> decays) {
    this.decays = decays;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.manager = parent.newSubManager();
    params.forEach((name, p) -> {
      m.put(name, manager.zeros(p.getShape(), p.getDataType()));
      v.put(name, manager.zeros(p.getShape(), p.getDataType()));
    });
  }

  /** Applies one update to every parameter from its gradient; gradients are left as they are. */
  public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
    step(params, grads, name -> lr);
  }

  /**
   * One update with a learning rate per parameter (parameter groups, e.g. pretrained weights at
   * 1e-7 and new heads at 1e-4 as CLIP4Clip); one step count for all, as one PyTorch optimiser
   * with several groups.
   */
  public void step(Map<String, NDArray> params, Map<String, NDArray> grads, ToDoubleFunction<String> lrOf) {
    step++;
    double c1 = 1 - Math.pow(beta1, step);
    double sqrtC2 = Math.sqrt(1 - Math.pow(beta2, step));
    // DJL's fused update (libtorch, in place, numbers passed as C++ floats: no scalar arrays made on the host):
    //   p -= lr·wd·p;  m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  p -= lrBc · m / (√v + epsBc)
    // torch.optim.AdamW's p -= (lr/c1) · m / (√v/√c2 + eps) is the same with lrBc = lr·√c2/c1 and epsBc = eps·√c2
    float epsBc = (float) (eps * sqrtC2);
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray p = e.getValue();
      NDArray g = grads.get(e.getKey());
      double lr = lrOf.applyAsDouble(e.getKey());
      double wd = decays.test(e.getKey()) ? weightDecay : 0;
      NDList state = new NDList(p, g, m.get(e.getKey()), v.get(e.getKey()));
      p.getNDArrayInternal().adamUpdate(state, new NDList(p), (float) lr, (float) (lr * sqrtC2 / c1), (float) wd, 1f,
          -1f,
          (float) beta1, (float) beta2, epsBc, false, true);
    }
  }

  /** Forgets the moments and the step count (the loss changed scale; see TrainingConfig). */
  public void reset() {
    m.values().forEach(a -> a.muli(0));
    v.values().forEach(a -> a.muli(0));
    step = 0;
  }

  public long stepCount() {
    return step;
  }

  /** The moments by parameter name: {@code name + ".m"} and {@code name + ".v"}. */
  public Map<String, float[]> state() {
    Map<String, float[]> out = new LinkedHashMap<>();
    m.forEach((k, a) -> out.put(k + ".m", HostCopies.floats(a)));
    v.forEach((k, a) -> out.put(k + ".v", HostCopies.floats(a)));
    return out;
  }

  /**
   * {@link #state()} as the live moments ({@link TensorArrays}), for a checkpoint being written at once: written from
   * their native memory, never on the heap (a CLIP-sized module's moments are 1.2 GB); a value asked for is copied to
   * the host then, one moment at a time.
   */
  public Map<String, float[]> stateOnDemand() {
    Map<String, NDArray> all = new LinkedHashMap<>();
    m.forEach((k, a) -> all.put(k + ".m", a));
    v.forEach((k, a) -> all.put(k + ".v", a));
    return TensorArrays.of(all);
  }

  /** Restores what {@link #state()} returned, and the step count. */
  public void restore(Map<String, float[]> state, long stepCount) {
    // new arrays rather than DJL's in-place set (see ParameterSet#load)
    for (Map<String, NDArray> moments : List.of(m, v)) {
      String suffix = moments == m ? ".m" : ".v";
      for (Map.Entry<String, NDArray> e : moments.entrySet()) {
        NDArray old = e.getValue();
        e.setValue(manager.create(state.get(e.getKey() + suffix), old.getShape()));
        old.close();
      }
    }
    this.step = stepCount;
  }

  @Override
  public void close() {
    manager.close();
  }
}
