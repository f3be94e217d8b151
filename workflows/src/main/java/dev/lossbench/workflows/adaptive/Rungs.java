package dev.lossbench.workflows.adaptive;

import java.util.ArrayList;
import java.util.List;

/**
 * The epochs at which successive halving compares the surviving variants: grace, grace·η, grace·η², … while below
 * the cell's epochs, then the epochs themselves (the last rung is full training, where nothing is stopped).
 */
public final class Rungs {
  private Rungs() {}

  /**
   * @param graceEpochs epochs every variant trains before the first comparison (≥ 1)
   * @param reductionFactor η ≥ 2: each rung keeps the top 1/η and lets them train η times longer
   * @param epochs the cell's epochs (≥ 1)
   * @return the rung epochs, ascending, the last equal to {@code epochs}; {@code [epochs]} alone when the grace
   *     period is not shorter than training (no variant is ever stopped)
   */
  public static List<Integer> of(int graceEpochs, int reductionFactor, int epochs) {
    if (graceEpochs < 1 || reductionFactor < 2 || epochs < 1) {
      throw new IllegalArgumentException("rungs need grace_epochs >= 1, reduction_factor >= 2 and epochs >= 1, got "
          + graceEpochs + ", " + reductionFactor + ", " + epochs);
    }
    List<Integer> rungs = new ArrayList<>();
    for (long r = graceEpochs; r < epochs; r *= reductionFactor) {
      rungs.add((int) r);
    }
    rungs.add(epochs);
    return List.copyOf(rungs);
  }
}
