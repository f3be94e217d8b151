package dev.lossbench.workflows.adaptive;

import dev.lossbench.workflows.matrix.AnalysisPlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rung's decision of successive halving (ASHA's rule, taken synchronously per group so that it is deterministic
 * and replay-safe): the variants other than the baseline are ranked by their mean validation rSum at the rung,
 * averaged over the same seeds; the top ⌈n/η⌉ survive, the rest stop. The baseline is never stopped: every decision
 * the benchmark reaches is a comparison with it.
 *
 * <p>With {@code keep_within}, a variant below the cut whose mean is within that distance of the last survivor's is
 * kept too: on a few seeds at an early epoch, variants that close are not told apart by the ranking, and cutting
 * between them would pick the survivor by chance (the sweep of issue #22 cut one of four variants that ended within
 * 0.4 rSum of each other, against a spread over seeds of 6–10).
 *
 * <p>Ties are broken by label (ascending), and a variant without a finite mean (a seed failed or diverged before the
 * rung) ranks last, so the same inputs always give the same survivors.
 */
public final class SuccessiveHalving {
  private SuccessiveHalving() {}

  /**
   * @param ranked the non-baseline variants, best first
   * @param kept the baseline (if it was given) and the survivors among {@code ranked}
   * @param stopped the variants stopped at this rung, in rank order
   */
  public record Decision(List<String> ranked, Set<String> kept, List<String> stopped) {
    public Decision {
      ranked = List.copyOf(ranked);
      kept = Collections.unmodifiableSet(new LinkedHashSet<>(kept));
      stopped = List.copyOf(stopped);
    }
  }

  /**
   * @param meanRsum variant label → mean validation rSum at the rung over its seeds; {@code null} or NaN: it has no
   *     valid value (ranks last)
   * @param baseline the baseline's label (kept whatever its rank; not counted in n); may be absent from the map
   * @param reductionFactor η ≥ 2
   */
  public static Decision decide(Map<String, Double> meanRsum, String baseline, int reductionFactor) {
    return decide(meanRsum, baseline, reductionFactor, null);
  }

  /**
   * @param keepWithin the tie band below the last survivor's mean (absolute, or relative to that mean); {@code null}:
   *     none, the top ⌈n/η⌉ only
   */
  public static Decision decide(Map<String, Double> meanRsum, String baseline, int reductionFactor,
      AnalysisPlan.EquivalenceBound keepWithin) {
    if (reductionFactor < 2) {
      throw new IllegalArgumentException("reduction_factor must be >= 2, got " + reductionFactor);
    }
    List<String> ranked = new ArrayList<>(meanRsum.keySet().stream().filter(v -> !v.equals(baseline)).toList());
    ranked.sort(Comparator.comparing((String v) -> score(meanRsum.get(v))).reversed()
        .thenComparing(Comparator.naturalOrder()));
    int keep = ranked.isEmpty() ? 0 : Math.max(1, (ranked.size() + reductionFactor - 1) / reductionFactor);
    if (keep > 0 && keepWithin != null) {
      double cut = score(meanRsum.get(ranked.get(keep - 1)));
      double floor = cut - keepWithin.resolve(cut);
      while (keep < ranked.size() && Double.isFinite(cut) && score(meanRsum.get(ranked.get(keep))) >= floor) {
        keep++;
      }
    }
    Set<String> kept = new LinkedHashSet<>();
    if (meanRsum.containsKey(baseline)) {
      kept.add(baseline);
    }
    kept.addAll(ranked.subList(0, keep));
    return new Decision(ranked, kept, ranked.subList(keep, ranked.size()));
  }

  private static double score(Double mean) {
    return mean == null || !Double.isFinite(mean) ? Double.NEGATIVE_INFINITY : mean;
  }
}
