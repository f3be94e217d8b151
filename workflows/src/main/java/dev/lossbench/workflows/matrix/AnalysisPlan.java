package dev.lossbench.workflows.matrix;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A matrix's {@code study:} block: the analysis declared before the runs exist (pre-registration). It is part of
 * the matrix's canonical form and of its hash, so changing it after the fact makes a different benchmark.
 *
 * @param alpha family-wise level of every verdict (after Holm), default {@link #DEFAULT_ALPHA}
 * @param equivalence declared equivalence bounds per measure (only the ones written; see {@link #bound})
 * @param convergence the convergence measure the study reports, default {@link #DEFAULT_CONVERGENCE}
 * @param unified labels of the pre-registered judged unified variants (loss variants of the matrix), maybe empty
 * @param primary the primary measures, in matrix order, default {@code [rsum]}
 */
public record AnalysisPlan(double alpha, Map<String, EquivalenceBound> equivalence, String convergence,
    List<String> unified, List<String> primary) {
  public static final double DEFAULT_ALPHA = 0.05;
  /** Final test figures, per run (from the result table). */
  public static final List<String> TEST_MEASURES = List.of("rsum", "r1_i2t", "r1_t2i");
  /** Convergence figures (from the learning curves), owned by the study. */
  public static final List<String> CONVERGENCE_MEASURES = List.of("val_rsum_auc", "epochs_to_threshold",
      "epochs_to_90pct_best");
  public static final String DEFAULT_CONVERGENCE = "val_rsum_auc";
  /**
   * The bound of a measure the block does not name: ±1 % of the baseline's mean. It scales with the data (a
   * COCO 1K rSum near 500 gives ±5, the bound the paper-claims study used; target-300's near 300 gives ±3) and sits
   * below the gains papers report for a new loss (several % of rSum), so "equivalent" never hides one of those.
   */
  public static final EquivalenceBound DEFAULT_BOUND = new EquivalenceBound(0.01, true);

  public AnalysisPlan {
    if (!(alpha > 0 && alpha <= 0.5)) {
      throw new IllegalArgumentException("alpha must be in (0, 0.5], got " + alpha);
    }
    equivalence = Map.copyOf(new TreeMap<>(equivalence));
    Objects.requireNonNull(convergence, "convergence");
    unified = List.copyOf(unified);
    primary = List.copyOf(primary);
  }

  /** The analysis of a matrix without a {@code study:} block (not pre-registered). */
  public static AnalysisPlan defaults() {
    return new AnalysisPlan(DEFAULT_ALPHA, Map.of(), DEFAULT_CONVERGENCE, List.of(), List.of("rsum"));
  }

  /** Every measure name the block may name. */
  public static List<String> measures() {
    return Stream.concat(TEST_MEASURES.stream(), CONVERGENCE_MEASURES.stream()).toList();
  }

  /** This analysis at another level (a sequential look's α_n); everything else unchanged. */
  public AnalysisPlan withAlpha(double level) {
    return new AnalysisPlan(level, equivalence, convergence, unified, primary);
  }

  /** The bound of {@code measure}: declared, or {@link #DEFAULT_BOUND}. */
  public EquivalenceBound bound(String measure) {
    return equivalence.getOrDefault(measure, DEFAULT_BOUND);
  }

  /** One line, fixed order, for the matrix hash and the canonical JSON. */
  public String canonical() {
    return "alpha=" + plain(alpha)
        + ";equivalence=" + new TreeMap<>(equivalence).entrySet().stream()
            .map(e -> e.getKey() + ":" + e.getValue().text()).collect(Collectors.joining(","))
        + ";convergence=" + convergence
        + ";unified=" + String.join(",", unified)
        + ";primary=" + String.join(",", primary);
  }

  static String plain(double v) {
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /**
   * An equivalence bound: absolute ({@code rsum: 5}, in the measure's units) or relative to the baseline's mean
   * ({@code rsum: 2%}, stored as the fraction 0.02).
   */
  public record EquivalenceBound(double value, boolean relative) {
    public EquivalenceBound {
      if (!(value > 0 && Double.isFinite(value))) {
        throw new IllegalArgumentException("an equivalence bound must be a positive number, got " + value);
      }
    }

    /** The absolute bound, given the baseline's mean of the measure (NaN when relative and the mean is unknown). */
    public double resolve(Double baselineMean) {
      if (!relative) {
        return value;
      }
      return baselineMean == null ? Double.NaN : value * Math.abs(baselineMean);
    }

    /** As written in a matrix: {@code 5} or {@code 2%}. */
    public String text() {
      return relative
          ? plain(new BigDecimal(Double.toString(value)).movePointRight(2).doubleValue()) + "%"
          : plain(value);
    }

    /** Reads {@code 5} or {@code 2%}; {@link IllegalArgumentException} with the expectation otherwise. */
    public static EquivalenceBound parse(String text) {
      String t = text.trim();
      boolean relative = t.endsWith("%");
      String number = relative ? t.substring(0, t.length() - 1).trim() : t;
      double v;
      try {
        v = new BigDecimal(number).doubleValue();
      } catch (NumberFormatException e) {
        v = Double.NaN;
      }
      if (!(v > 0 && Double.isFinite(v)) || (relative && v > 100)) {
        throw new IllegalArgumentException("'" + text + "' is not a bound: expected a positive number in the measure's"
            + " units (rsum: 5) or a percentage of the baseline's mean in (0, 100] (rsum: 2%)");
      }
      return new EquivalenceBound(relative ? new BigDecimal(number).movePointLeft(2).doubleValue() : v, relative);
    }
  }
}
