package dev.lossbench.workers.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which variants of a group could be the best: a confidence set for the best (Gupta's subset selection, with the
 * engine's paired test). A variant is left out when some other variant of the group is decided better than it —
 * the sign-flip test of the two, paired by seed, at level α / (k − 1) with k variants in the group (Bonferroni over
 * its k − 1 rivals). The truly best variant (the highest expected measure; any of them when several share it) is
 * left out only if one of its k − 1 rivals is wrongly decided better, each with probability ≤ α / (2(k − 1)) — so
 * the set holds it with probability ≥ 1 − α/2, whatever the rivals and however their results correlate
 * ({@code BestSetCalibrationTest} measures it, and catches the rule without the correction).
 *
 * <p>Why the leaderboard needs it: rank 1 is the highest mean, and among variants the seeds cannot tell apart it is
 * a draw — issue #22's sweep had four variants within 0.4 rSum with a spread over seeds of 6–10, and two benchmarks of
 * the same cells named different ones. A set of one means the best is decided; a larger set says which variants are
 * tied for it at these seeds.
 */
public final class BestSet {
  private BestSet() {}

  /**
   * One group's set.
   *
   * @param variants the variants that could be the best, highest mean first
   * @param rivals k: the variants with a figure in the group
   * @param pairLevel the two-sided level of each pairwise decision: α / (k − 1)
   */
  public record Group(String dataset, String model, String split, List<String> variants, int rivals,
      double pairLevel) {
    public Group {
      variants = List.copyOf(variants);
    }

    /** One variant is decided better than every other. */
    public boolean decided() {
      return variants.size() == 1 && rivals > 1;
    }
  }

  /** The set of every dataset × model × split group of {@code observations} on {@code m}, at family level α. */
  public static List<Group> of(Measure m, double alpha, List<Observation> observations) {
    return of(m, alpha, observations, false);
  }

  /**
   * @param uncorrected the deliberately broken rule (each pair at α, no Bonferroni): only for the calibration test
   *     to show that it catches it
   */
  static List<Group> of(Measure m, double alpha, List<Observation> observations, boolean uncorrected) {
    Map<List<String>, Map<String, Map<Long, Double>>> groups = new LinkedHashMap<>();
    ComparisonEngine.groups(observations).forEach((key, variants) -> variants.forEach((variant, runs) -> {
      Map<Long, Double> values = ComparisonEngine.bySeed(runs, m);
      if (!values.isEmpty()) {
        groups.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(variant, values);
      }
    }));
    List<Group> out = new ArrayList<>();
    for (Map.Entry<List<String>, Map<String, Map<Long, Double>>> g : groups.entrySet()) {
      Map<String, Map<Long, Double>> byVariant = g.getValue();
      int k = byVariant.size();
      double level = k < 2 || uncorrected ? alpha : alpha / (k - 1);
      List<String> set = new ArrayList<>();
      for (String v : byVariant.keySet()) {
        if (!beaten(v, byVariant, m, level)) {
          set.add(v);
        }
      }
      Map<String, Double> means = new LinkedHashMap<>();
      byVariant.forEach((v, values) -> means.put(v, values.values().stream().mapToDouble(x -> x).average()
          .orElse(Double.NaN)));
      set.sort(Comparator.comparing((String v) -> m.higherIsBetter() ? -means.get(v) : means.get(v))
          .thenComparing(Comparator.naturalOrder()));
      out.add(new Group(g.getKey().get(0), g.getKey().get(1), g.getKey().get(2), set, k, level));
    }
    return out;
  }

  /** Whether some rival is decided better than {@code v} at {@code level}, paired on the seeds both have. */
  private static boolean beaten(String v, Map<String, Map<Long, Double>> byVariant, Measure m, double level) {
    Map<Long, Double> mine = byVariant.get(v);
    for (Map.Entry<String, Map<Long, Double>> rival : byVariant.entrySet()) {
      if (rival.getKey().equals(v)) {
        continue;
      }
      List<Long> seeds = rival.getValue().keySet().stream().filter(mine::containsKey).toList();
      double[] a = seeds.stream().mapToDouble(rival.getValue()::get).toArray();
      double[] b = seeds.stream().mapToDouble(mine::get).toArray();
      double ahead = 0;
      for (int i = 0; i < a.length; i++) {
        ahead += m.higherIsBetter() ? a[i] - b[i] : b[i] - a[i];
      }
      if (!(ahead > 0)) {
        // behind or level on these seeds: it cannot be decided better, and skipping the test only keeps v
        continue;
      }
      PairedResult r = PairedComparison.compare(a, b, m.kind(), Double.NaN, level);
      if (r.p() != null && r.p() <= level && r.meanDelta() != 0
          && (r.meanDelta() > 0) == m.higherIsBetter()) {
        return true;
      }
    }
    return false;
  }
}
