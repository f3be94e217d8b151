package dev.lossbench.retrieval.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A model's trainable arrays by name, in declaration order. Initial values come from a seeded Java
 * generator (not the engine's global one), so the same seed gives the same model on any machine
 * and nothing else in the process can disturb it.
 */
public final class ParameterSet implements AutoCloseable {
  private final NDManager manager;
  private final Map<String, NDArray> arrays = new LinkedHashMap<>();

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
    java.util.Arrays.fill(v, value);
    return add(name, v, shape);
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
   * to produce different numbers and NaN gradients.
   */
  public void load(Map<String, float[]> values, String source) {
    if (!values.keySet().equals(arrays.keySet())) {
      throw new InvalidInputException(source + ": its parameters " + values.keySet() + " do not match the model's " + arrays.keySet());
    }
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      float[] v = values.get(e.getKey());
      if (v.length != e.getValue().getShape().size()) {
        throw new InvalidInputException(source + ": parameter " + e.getKey() + " has " + v.length
            + " values, the model's has shape " + e.getValue().getShape());
      }
    }
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
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
    arrays.forEach((k, v) -> out.put(k, dev.lossbench.retrieval.engine.HostCopies.floats(v)));
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
