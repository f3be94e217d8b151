package dev.lossbench.workers.compare;

import dev.lossbench.workflows.matrix.AnalysisPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The comparison engine at one look of a sequential-seeds benchmark: every variant against the baseline on the
 * first n seeds, paired by seed, Holm over the group's variants, at the level {@link SequentialRule#levelAt(int)}
 * spends there. A look that spends nothing decides nothing (every outcome undecided; the figures are those at α).
 *
 * <p>A variant decided at an earlier look gets no more seeds, so at a later look it takes part in Holm's family
 * with the p of its own seeds — the same p it was decided on. Recomputing a variant's decision at its own last look
 * ({@link #finalDecisions}) therefore gives back what the workflow decided, from the stored runs alone.
 */
public final class SequentialLook {
  private SequentialLook() {}

  /**
   * @param observations the group's runs (one dataset × model × split per group as the engine groups them), any
   *     number of seeds; only the look's seeds are used: the n smallest seeds the baseline has
   * @return the engine's comparisons at look n for {@code measures}
   */
  public static List<Comparison> decide(String baseline, AnalysisPlan plan, SequentialRule rule, int n,
      List<Measure> measures, List<Observation> observations) {
    return decide(baseline, plan, rule, n, measures, observations, PairedComparison::compare);
  }

  /** {@link #decide} with another paired test: the calibration's seam for a broken one. */
  static List<Comparison> decide(String baseline, AnalysisPlan plan, SequentialRule rule, int n,
      List<Measure> measures, List<Observation> observations, ComparisonEngine.PairedTest test) {
    List<Observation> look = firstSeeds(baseline, n, observations);
    double level = rule.levelAt(n);
    if (level > 0) {
      return ComparisonEngine.compare(baseline, plan.withAlpha(level), measures, look, test);
    }
    List<Comparison> out = new ArrayList<>();
    for (Comparison c : ComparisonEngine.compare(baseline, plan, measures, look, test)) {
      out.add(new Comparison(c.dataset(), c.model(), c.split(), c.measure(), c.variant(), c.baseline(),
          c.baselineMean(), c.variantMean(), c.result(), c.pHolm(), c.pEquivalenceHolm(), 0.0, Outcome.UNDECIDED));
    }
    return out;
  }

  /**
   * Each variant's decision at its own last look — the number of seeds it has paired with the baseline, which a
   * sequential benchmark stops adding once the variant is decided: what the workflow decided, recomputed.
   */
  public static List<Comparison> finalDecisions(String baseline, AnalysisPlan plan, SequentialRule rule,
      List<Measure> measures, List<Observation> observations) {
    Map<List<String>, Map<String, Set<Long>>> seeds = new LinkedHashMap<>();
    for (Observation o : observations) {
      seeds.computeIfAbsent(List.of(o.dataset(), o.model(), o.split()), k -> new LinkedHashMap<>())
          .computeIfAbsent(o.variant(), k -> new TreeSet<>()).add(o.seed());
    }
    List<Comparison> out = new ArrayList<>();
    for (Map.Entry<List<String>, Map<String, Set<Long>>> g : seeds.entrySet()) {
      Set<Long> base = g.getValue().get(baseline);
      if (base == null) {
        continue;
      }
      List<Observation> group = observations.stream()
          .filter(o -> List.of(o.dataset(), o.model(), o.split()).equals(g.getKey())).toList();
      for (Map.Entry<String, Set<Long>> v : g.getValue().entrySet()) {
        if (v.getKey().equals(baseline)) {
          continue;
        }
        int n = (int) v.getValue().stream().filter(base::contains).count();
        decide(baseline, plan, rule, n, measures, group).stream()
            .filter(c -> c.variant().equals(v.getKey()))
            .forEach(out::add);
      }
    }
    return out;
  }

  /** The runs whose seed is among the n smallest seeds of the baseline in the same group. */
  static List<Observation> firstSeeds(String baseline, int n, List<Observation> observations) {
    Map<List<String>, Set<Long>> lookSeeds = observations.stream()
        .filter(o -> o.variant().equals(baseline))
        .collect(Collectors.groupingBy(o -> List.of(o.dataset(), o.model(), o.split()),
            Collectors.mapping(Observation::seed, Collectors.toCollection(TreeSet::new))))
        .entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey,
            e -> e.getValue().stream().limit(n).collect(Collectors.toSet())));
    return observations.stream()
        .filter(o -> lookSeeds.getOrDefault(List.of(o.dataset(), o.model(), o.split()), Set.of()).contains(o.seed()))
        .toList();
  }
}
