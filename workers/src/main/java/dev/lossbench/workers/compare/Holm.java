package dev.lossbench.workers.compare;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Holm's step-down adjustment: family-wise error ≤ α under any dependence between the tests. The only one. */
public final class Holm {
  private Holm() {}

  /**
   * Holm-adjusted p-values, in the order given: sorted ascending, the i-th smallest (from 0) is multiplied by
   * m − i, kept monotone (never below an earlier one), capped at 1. NaN entries (no test) stay NaN and do not
   * count in m.
   */
  public static double[] adjust(double[] p) {
    int[] order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
        .sorted(Comparator.comparingDouble(i -> p[i])).mapToInt(Integer::intValue).toArray();
    double[] adjusted = new double[p.length];
    Arrays.fill(adjusted, Double.NaN);
    int m = order.length;
    double running = 0;
    for (int rank = 0; rank < m; rank++) {
      running = Math.max(running, Math.min(1, (m - rank) * p[order[rank]]));
      adjusted[order[rank]] = running;
    }
    return adjusted;
  }

  /** {@link #adjust(double[])} over boxed values, null meaning no test. */
  public static Double[] adjust(Double[] p) {
    double[] raw = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      raw[i] = p[i] == null ? Double.NaN : p[i];
    }
    double[] adjusted = adjust(raw);
    Double[] out = new Double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = Double.isNaN(adjusted[i]) ? null : adjusted[i];
    }
    return out;
  }
}
