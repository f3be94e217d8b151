package dev.lossbench.retrieval.loss;

/**
 * Every loss recomputed with plain double-precision loops from its textbook formula, written
 * without DJL and without sharing code with the implementations under test.
 */
final class ReferenceLosses {
  private ReferenceLosses() {}

  /** Per-anchor terms [direction][anchor]; direction 0 = image→text (rows), 1 = text→image (columns). */
  static double[][] terms(LossSpec spec, double[][] s, long[] groups, int epoch) {
    return terms(spec, s, s, groups, epoch);
  }

  /**
   * As {@link #terms(LossSpec, double[][], long[], int)}, with circle loss's α weights computed from
   * {@code alphaFrom} (held constant for finite differences, matching the stop-gradient).
   */
  static double[][] terms(LossSpec spec, double[][] s, double[][] alphaFrom, long[] groups, int epoch) {
    int b = s.length;
    double[][] out = new double[2][b];
    for (int dir = 0; dir < 2; dir++) {
      for (int i = 0; i < b; i++) {
        double pos = s[i][i];
        double[] row = new double[b];
        double[] alphaRow = new double[b];
        for (int j = 0; j < b; j++) {
          row[j] = dir == 0 ? s[i][j] : s[j][i];
          alphaRow[j] = dir == 0 ? alphaFrom[i][j] : alphaFrom[j][i];
        }
        boolean[] neg = new boolean[b];
        for (int j = 0; j < b; j++) {
          neg[j] = j != i && (groups == null || groups[i] != groups[j]);
        }
        out[dir][i] = anchor(spec, pos, alphaFrom[i][i], row, alphaRow, neg, epoch);
      }
    }
    return out;
  }

  private static double anchor(LossSpec spec, double pos, double alphaPos, double[] row, double[] alphaRow,
      boolean[] neg, int epoch) {
    switch (spec.name()) {
      case TRIPLET, TRIPLET_HN -> {
        double m = spec.number("margin");
        boolean hardest = spec.name() == LossSpec.Name.TRIPLET_HN
            && epoch >= ((Number) spec.params().get("warmup_epochs")).intValue();
        double sum = 0;
        double max = 0;
        for (int j = 0; j < row.length; j++) {
          if (neg[j]) {
            double h = Math.max(0, m - pos + row[j]);
            sum += h;
            max = Math.max(max, h);
          }
        }
        return hardest ? max : sum;
      }
      case INFONCE -> {
        double tau = spec.number("tau");
        // −log( e^{pos/τ} / (e^{pos/τ} + Σ_neg e^{s/τ}) ), via the largest logit for safety
        double top = pos / tau;
        for (int j = 0; j < row.length; j++) {
          if (neg[j]) {
            top = Math.max(top, row[j] / tau);
          }
        }
        double denom = Math.exp(pos / tau - top);
        for (int j = 0; j < row.length; j++) {
          if (neg[j]) {
            denom += Math.exp(row[j] / tau - top);
          }
        }
        return -(pos / tau - top - Math.log(denom));
      }
      case UNIFIED -> {
        double g = spec.number("gamma");
        double m = spec.number("margin");
        double[] z = new double[row.length];
        int n = 0;
        for (int j = 0; j < row.length; j++) {
          if (neg[j]) {
            z[n++] = g * (row[j] - pos + m);
          }
        }
        double v = log1pSumExp(z, n);
        return spec.flag("normalize") ? v / g : v;
      }
      case CIRCLE -> {
        double m = spec.number("margin");
        double g = spec.number("gamma");
        double ap = Math.max(0, 1 + m - alphaPos);
        double[] z = new double[row.length];
        int n = 0;
        for (int j = 0; j < row.length; j++) {
          if (neg[j]) {
            double an = Math.max(0, alphaRow[j] + m);
            z[n++] = g * an * (row[j] - m) - g * ap * (pos - (1 - m));
          }
        }
        return log1pSumExp(z, n);
      }
      default -> throw new IllegalArgumentException(spec.toString());
    }
  }

  /** log(1 + Σ_k exp(z_k)) with the larger of 0 and max z factored out. */
  static double log1pSumExp(double[] z, int n) {
    double top = 0;
    for (int k = 0; k < n; k++) {
      top = Math.max(top, z[k]);
    }
    double sum = Math.exp(-top);
    for (int k = 0; k < n; k++) {
      sum += Math.exp(z[k] - top);
    }
    return top + Math.log(sum);
  }

  /** The scalar loss with the spec's reductions. */
  static double loss(LossSpec spec, double[][] terms) {
    double[] dir = new double[2];
    for (int d = 0; d < 2; d++) {
      for (double t : terms[d]) {
        dir[d] += t;
      }
      if (spec.reduction() == Reduction.MEAN) {
        dir[d] /= terms[d].length;
      }
    }
    double both = dir[0] + dir[1];
    return spec.directions() == Reduction.MEAN ? both / 2 : both;
  }
}
