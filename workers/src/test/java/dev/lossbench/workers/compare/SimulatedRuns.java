package dev.lossbench.workers.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random figures for the calibrations: the stored learning-curve shapes ({@code study/quick-validation-curves.csv},
 * 8 real validation-rSum curves of {@code matrices/quick.yaml}, each divided by its last epoch), heavy-tailed noise
 * and Gaussian draws from one seeded generator, so every table is the same on every run.
 */
public final class SimulatedRuns {
  /** The stored curves as shapes ending at 1 (4 epochs each). */
  public static final List<double[]> SHAPES = shapes();

  private SimulatedRuns() {}

  /**
   * A stored shape at fractional epoch t of its own 4-epoch time (0 before training, linear between epochs, its
   * plateau after the last): a run trained for E epochs at speed s is at {@code at(shape, e · s · 4 / E)} after
   * epoch e.
   */
  public static double at(double[] shape, double t) {
    if (t >= shape.length) {
      return 1;
    }
    if (t <= 0) {
      return 0;
    }
    int i = (int) Math.floor(t);
    double low = i == 0 ? 0 : shape[i - 1];
    return low + (t - i) * (shape[i] - low);
  }

  public static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Student's t with 3 degrees of freedom scaled to standard deviation 1 (its own is √3): heavy tails. */
  public static double studentT3(SplittableRandom random) {
    double z = gaussian(random);
    double chi = 0;
    for (int i = 0; i < 3; i++) {
      double g = gaussian(random);
      chi += g * g;
    }
    return z / Math.sqrt(chi / 3) / Math.sqrt(3);
  }

  private static List<double[]> shapes() {
    Map<String, List<Double>> curves = new LinkedHashMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        SimulatedRuns.class.getResourceAsStream("/study/quick-validation-curves.csv"), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("#") || line.startsWith("variant")) {
          continue;
        }
        String[] f = line.split(",");
        curves.computeIfAbsent(f[0] + "/" + f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[3]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<double[]> shapes = new ArrayList<>();
    for (List<Double> c : curves.values()) {
      double last = c.get(c.size() - 1);
      shapes.add(c.stream().mapToDouble(x -> x / last).toArray());
    }
    if (shapes.size() != 8) {
      throw new IllegalStateException("expected the 8 stored curves, read " + shapes.size());
    }
    return List.copyOf(shapes);
  }
}
