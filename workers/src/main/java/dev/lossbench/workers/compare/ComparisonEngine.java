package dev.lossbench.workers.compare;

import dev.lossbench.workflows.matrix.AnalysisPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every variant against the baseline, per dataset × model × split × measure, paired by seed, with Holm over the
 * variants of that group: the comparisons the leaderboard, the report, Grafana and the study all read.
 */
public final class ComparisonEngine {
  /** What the leaderboard compares: test rSum (primary) and R@1 in both directions. */
  public static final List<Measure> LEADERBOARD_MEASURES = List.of(Measure.RSUM, Measure.R1_I2T, Measure.R1_T2I);

  private ComparisonEngine() {}

  /**
   * @param baseline the baseline's variant label
   * @param plan alpha and the equivalence bounds (relative ones resolved against the baseline's mean per group)
   * @return per group (in first-seen order) and measure, one comparison per variant other than the baseline;
   *     nothing for a group without baseline runs
   */
  public static List<Comparison> compare(String baseline, AnalysisPlan plan, List<Measure> measures,
      List<Observation> observations) {
    return compare(baseline, plan, measures, observations, PairedComparison::compare);
  }

  /**
   * The paired test a comparison rests on. In use it is always {@link PairedComparison#compare}; the seam exists so
   * that the sequential calibration can plug a broken test into the real engine and show that it catches it.
   */
  @FunctionalInterface
  interface PairedTest {
    PairedResult compare(double[] a, double[] b, MeasureKind kind, double equivalenceBound, double alpha);
  }

  static List<Comparison> compare(String baseline, AnalysisPlan plan, List<Measure> measures,
      List<Observation> observations, PairedTest test) {
    List<Comparison> out = new ArrayList<>();
    for (Map.Entry<List<String>, Map<String, List<Observation>>> g : groups(observations).entrySet()) {
      Map<String, List<Observation>> byVariant = g.getValue();
      if (!byVariant.containsKey(baseline)) {
        continue;
      }
      for (Measure m : measures) {
        out.addAll(group(g.getKey(), baseline, byVariant, m, plan, test));
      }
    }
    return out;
  }

  private static List<Comparison> group(List<String> key, String baseline, Map<String, List<Observation>> byVariant,
      Measure m, AnalysisPlan plan, PairedTest test) {
    Map<Long, Double> base = bySeed(byVariant.get(baseline), m);
    Double baselineMean = mean(base);
    double bound = plan.bound(m.name()).resolve(baselineMean);
    List<String> variants = byVariant.keySet().stream().filter(v -> !v.equals(baseline)).toList();
    List<PairedResult> results = new ArrayList<>();
    List<Double> variantMeans = new ArrayList<>();
    for (String v : variants) {
      Map<Long, Double> values = bySeed(byVariant.get(v), m);
      variantMeans.add(mean(values));
      List<Long> seeds = values.keySet().stream().filter(base::containsKey).toList();
      double[] a = seeds.stream().mapToDouble(values::get).toArray();
      double[] b = seeds.stream().mapToDouble(base::get).toArray();
      results.add(test.compare(a, b, m.kind(), bound, plan.alpha()));
    }
    Double[] pHolm = Holm.adjust(results.stream().map(PairedResult::p).toArray(Double[]::new));
    Double[] eqHolm = Holm.adjust(results.stream().map(PairedResult::pEquivalence).toArray(Double[]::new));
    List<Comparison> out = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      PairedResult r = results.get(i);
      Outcome outcome = Outcome.decide(r.meanDelta(), pHolm[i], eqHolm[i], plan.alpha(), m.higherIsBetter());
      out.add(new Comparison(key.get(0), key.get(1), key.get(2), m, variants.get(i), baseline, baselineMean,
          variantMeans.get(i), r, pHolm[i], eqHolm[i], plan.alpha(), outcome));
    }
    return out;
  }

  /** [dataset, model, split] → variant → its runs, both in first-seen order. */
  static Map<List<String>, Map<String, List<Observation>>> groups(List<Observation> observations) {
    Map<List<String>, Map<String, List<Observation>>> groups = new LinkedHashMap<>();
    for (Observation o : observations) {
      groups.computeIfAbsent(List.of(o.dataset(), o.model(), o.split()), k -> new LinkedHashMap<>())
          .computeIfAbsent(o.variant(), k -> new ArrayList<>()).add(o);
    }
    return groups;
  }

  /** Seed → value, ascending by seed; runs without the measure are left out. */
  static Map<Long, Double> bySeed(List<Observation> runs, Measure m) {
    Map<Long, Double> values = new TreeMap<>();
    for (Observation o : runs) {
      Double v = o.values().get(m.name());
      if (v != null && Double.isFinite(v)) {
        values.put(o.seed(), v);
      }
    }
    return values;
  }

  private static Double mean(Map<Long, Double> values) {
    return values.isEmpty() ? null : values.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
