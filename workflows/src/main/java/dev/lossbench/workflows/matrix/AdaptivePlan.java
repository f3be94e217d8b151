package dev.lossbench.workflows.matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * How an adaptive matrix spends its compute: sequential seeds ({@code seeds: {min, max, step}}), early stopping
 * ({@code adaptive: {early_stopping: ...}}), or both. Part of the matrix's canonical form and of its hash when present
 * (an adaptive and a full matrix of the same cells are two benchmarks), never of a cell's identity (they share runs).
 *
 * @param seeds sequential seeds, or {@code null}: every seed of the matrix is trained
 * @param earlyStopping successive halving over each dataset × model group's loss variants, or {@code null}
 */
public record AdaptivePlan(SequentialSeeds seeds, EarlyStopping earlyStopping) {
  public AdaptivePlan {
    if (seeds == null && earlyStopping == null) {
      throw new IllegalArgumentException("an adaptive plan has sequential seeds, early stopping or both");
    }
  }

  /** The only early-stopping rule of this version. */
  public static final String SUCCESSIVE_HALVING = "successive-halving";
  /** The only rung metric of this version: the rung epoch's validation rSum (epoch_metric.val_rsum). */
  public static final String VALIDATION_RSUM = "validation_rsum";

  /**
   * Seeds {@code 1..max}: the first look is at {@code n = min} seeds, then every {@code step} more seeds while some
   * variant is undecided, the last at {@code n = max}.
   */
  public record SequentialSeeds(int min, int max, int step) {
    public SequentialSeeds {
      if (min < 2 || max < min || step < 1) {
        throw new IllegalArgumentException("sequential seeds need 2 <= min <= max and step >= 1, got min=" + min
            + " max=" + max + " step=" + step);
      }
    }

    /** The looks: {@code min, min+step, …}, and {@code max} last even when the steps skip it. */
    public List<Integer> looks() {
      List<Integer> looks = new ArrayList<>();
      for (int n = min; n < max; n += step) {
        looks.add(n);
      }
      looks.add(max);
      return List.copyOf(looks);
    }
  }

  /**
   * @param rule {@link #SUCCESSIVE_HALVING}
   * @param metric {@link #VALIDATION_RSUM}
   * @param graceEpochs epochs every variant trains before its first rung, at least 1
   * @param reductionFactor η: a rung keeps the best ⌈n/η⌉ variants, at least 2
   * @param keepWithin {@code keep_within}: a variant whose rung mean is within this of the last survivor's is kept
   *     too (absolute in rSum, or a share of the last survivor's rung mean); {@code null}: the cut is exact
   */
  public record EarlyStopping(String rule, String metric, int graceEpochs, int reductionFactor,
      AnalysisPlan.EquivalenceBound keepWithin) {
    public EarlyStopping {
      if (!SUCCESSIVE_HALVING.equals(rule) || !VALIDATION_RSUM.equals(metric) || graceEpochs < 1
          || reductionFactor < 2) {
        throw new IllegalArgumentException("early stopping: " + rule + " on " + metric + " with grace " + graceEpochs
            + " and reduction factor " + reductionFactor);
      }
    }

    /** Without {@code keep_within}: the top ⌈n/η⌉ and no more. */
    public EarlyStopping(String rule, String metric, int graceEpochs, int reductionFactor) {
      this(rule, metric, graceEpochs, reductionFactor, null);
    }
  }

  /** One line, fixed order, for the matrix hash and the canonical JSON. */
  public String canonical() {
    String s = seeds == null ? "" : "seeds=min:" + seeds.min() + ",max:" + seeds.max() + ",step:" + seeds.step();
    String e = earlyStopping == null
        ? ""
        : "early_stopping=" + earlyStopping.rule() + ",metric:" + earlyStopping.metric()
            + ",grace_epochs:" + earlyStopping.graceEpochs() + ",reduction_factor:" + earlyStopping.reductionFactor()
            // written only when set: a matrix without it keeps the hash it had before the key existed
            + (earlyStopping.keepWithin() == null ? "" : ",keep_within:" + earlyStopping.keepWithin().text());
    return s + (s.isEmpty() || e.isEmpty() ? "" : ";") + e;
  }
}
