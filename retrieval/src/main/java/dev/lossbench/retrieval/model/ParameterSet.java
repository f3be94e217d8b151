package dev.lossbench.retrieval.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.engine.HostCopies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A model's trainable arrays by name, in declaration order. Initial values come from a seeded Java
 * generator (not the engine's global one), so the same seed gives the same model on any machine
 * and nothing else in the process can disturb it.
 */
public final class ParameterSet implements AutoCloseable {
  private final NDManager manager;
  private final Map<String, NDArray> arrays = new LinkedHashMap<>();
  /** Contiguous buffers by name, and the parameters (in buffer order) that are views into each. */
  private final Map<String, NDArray> buffers = new LinkedHashMap<>();
  private final Map<String, List<String>> packed = new LinkedHashMap<>();

  public ParameterSet(NDManager parent) {
    this.manager = parent.newSubManager();
  }

  /** Uniform in ±{@code bound}, PyTorch's default for linear and recurrent layers (bound = 1/√fan_in). */
  public NDArray uniform(String name, Shape shape, double bound, SplittableRandom rnd) {
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
    }
    return add(name, v, shape);
  }

  /** Normal(0, std²), e.g. word embeddings. */
  public NDArray normal(String name, Shape shape, double std, SplittableRandom rnd) {
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (nextGaussian(rnd) * std);
    }
    return add(name, v, shape);
  }

  /** A constant, e.g. biases or a logit scale. */
  public NDArray constant(String name, Shape shape, float value) {
    float[] v = new float[Math.toIntExact(shape.size())];
    Arrays.fill(v, value);
    return add(name, v, shape);
  }

  /**
   * Moves the declared parameters {@code names} into one new contiguous buffer {@code buffer}, in
   * that order with no gaps, each parameter becoming a view of its slice — the layout cuDNN's RNN
   * wants (PyTorch's {@code flatten_parameters}): {@code _cudnn_rnn} uses the weights as they are
   * when they are views of one storage starting at the first, in its canonical order, and
   * otherwise copies them into a new buffer at every call. Names, shapes, values, declaration order,
   * gradients and optimiser state stay per parameter: the views are the leaves that get gradients
   * and AdamW's in-place updates (which land in the buffer); the buffer itself records nothing.
   */
  public void pack(String buffer, List<String> names) {
    if (buffers.containsKey(buffer) || arrays.containsKey(buffer)) {
      throw new IllegalArgumentException("duplicate parameter buffer " + buffer);
    }
    List<float[]> values = new ArrayList<>(names.size());
    for (String name : names) {
      if (packed.values().stream().anyMatch(l -> l.contains(name))) {
        throw new IllegalArgumentException(name + " is already packed");
      }
      values.add(HostCopies.floats(get(name)));
    }
    packed.put(buffer, List.copyOf(names));
    install(buffer, values);
  }

  /** A new buffer {@code buffer} holding {@code values} of its parameters in order, and new views into it; the old ones closed. */
  private void install(String buffer, List<float[]> values) {
    List<String> names = packed.get(buffer);
    int total = values.stream().mapToInt(v -> v.length).sum();
    float[] all = new float[total];
    int at = 0;
    for (float[] v : values) {
      System.arraycopy(v, 0, all, at, v.length);
      at += v.length;
    }
    NDArray flat = manager.create(all, new Shape(total));
    long offset = 0;
    for (int i = 0; i < names.size(); i++) {
      NDArray old = arrays.get(names.get(i));
      long size = values.get(i).length;
      NDArray view;
      try (NDArray slice = flat.get(new NDIndex().addSliceDim(offset, offset + size))) {
        view = slice.reshape(old.getShape());
      }
      view.setRequiresGradient(true);
      arrays.put(names.get(i), view);
      old.close();
      offset += size;
    }
    NDArray previous = buffers.put(buffer, flat);
    if (previous != null) {
      previous.close();
    }
  }

  /** The contiguous buffer {@code name} made by {@link #pack}; its parameters are views of it. */
  public NDArray buffer(String name) {
    NDArray b = buffers.get(name);
    if (b == null) {
      throw new IllegalArgumentException("no parameter buffer " + name);
    }
    return b;
  }

  /** Buffer name → the parameters packed into it, in buffer order. */
  public Map<String, List<String>> packedBuffers() {
    return Collections.unmodifiableMap(packed);
  }

  private static double nextGaussian(SplittableRandom rnd) {
    // Box–Muller: SplittableRandom has no Gaussian before Java 17's RandomGenerator default, whose algorithm may change
    double u = 1 - rnd.nextDouble();
    double w = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
  }

  private NDArray add(String name, float[] values, Shape shape) {
    if (arrays.containsKey(name)) {
      throw new IllegalArgumentException("duplicate parameter " + name);
    }
    NDArray a = manager.create(values, shape);
    a.setRequiresGradient(true);
    arrays.put(name, a);
    return a;
  }

  public NDArray get(String name) {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    return a;
  }

  /** Name → array, in declaration order. */
  public Map<String, NDArray> arrays() {
    return Collections.unmodifiableMap(arrays);
  }

  /** Total number of scalar parameters. */
  public long count() {
    return arrays.values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  /**
   * Replaces every array with saved values; names and sizes must match exactly. New arrays are
   * created rather than written into the old ones: DJL's in-place {@code set} goes through
   * PyTorch's deprecated AutoNonVariableTypeMode, after which later training on the JVM was seen
   * to produce different numbers and NaN gradients. Packed parameters get a new buffer filled
   * with their values and new views into it.
   */
  public void load(Map<String, float[]> values, String source) {
    if (!values.keySet().equals(arrays.keySet())) {
      throw new InvalidInputException(
          source + ": its parameters " + values.keySet() + " do not match the model's " + arrays.keySet());
    }
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      float[] v = values.get(e.getKey());
      if (v.length != e.getValue().getShape().size()) {
        throw new InvalidInputException(source + ": parameter " + e.getKey() + " has " + v.length
            + " values, the model's has shape " + e.getValue().getShape());
      }
    }
    Set<String> inBuffers = new HashSet<>();
    for (Map.Entry<String, List<String>> b : packed.entrySet()) {
      List<float[]> v = new ArrayList<>(b.getValue().size());
      b.getValue().forEach(name -> v.add(values.get(name)));
      install(b.getKey(), v);
      inBuffers.addAll(b.getValue());
    }
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      if (inBuffers.contains(e.getKey())) {
        continue;
      }
      NDArray old = e.getValue();
      NDArray fresh = manager.create(values.get(e.getKey()), old.getShape());
      fresh.setRequiresGradient(true);
      e.setValue(fresh);
      old.close();
    }
  }

  /** A copy of every array's values, by name. */
  public Map<String, float[]> snapshot() {
    Map<String, float[]> out = new LinkedHashMap<>();
    arrays.forEach((k, v) -> out.put(k, HostCopies.floats(v)));
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
