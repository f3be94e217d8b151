package dev.lossbench.workers.compare;

import dev.lossbench.workflows.activities.LookGroup;
import dev.lossbench.workflows.activities.VariantDecision;
import dev.lossbench.workflows.matrix.AdaptivePlan;
import dev.lossbench.workflows.matrix.AnalysisPlan;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sequential-seeds benchmark's decisions ({@code seeds: {min, max, step}}) over the store's figures: the look the
 * workflow asks for, and the stored comparisons, which are each variant's decision at its own last look
 * ({@link SequentialLook#finalDecisions}), so that the leaderboard and the report show what the workflow decided.
 *
 * <p>Holm's family (the rule's m) of a dataset × model group is its variants other than the baseline that have test
 * figures: at the first look, the variants successive halving kept. A variant promoted later ({@code resume
 * --promote}) joins the family, so the recomputed decisions use a rule for one more variant (more conservative).
 */
public final class SequentialSeeds {
  private SequentialSeeds() {}

  /**
   * The decisions at look {@code n} on each group's primary split (its dataset's first protocol), test rSum, for the
   * variants the groups list; a variant without a comparison (no paired seed) is undecided.
   */
  public static List<VariantDecision> look(BenchmarkSpec spec, String baseline, int n, List<LookGroup> groups,
      List<Observation> observations) {
    AdaptivePlan.SequentialSeeds seeds = spec.adaptive().seeds();
    List<VariantDecision> out = new ArrayList<>();
    for (LookGroup g : groups) {
      String split = primarySplit(spec, g.dataset()).orElse(null);
      List<Observation> group = observations.stream().filter(o -> o.dataset().equals(g.dataset())
          && o.model().equals(g.model()) && o.split().equals(split)).toList();
      SequentialRule rule = SequentialRule.of(seeds.min(), seeds.max(), seeds.step(), spec.analysisPlan().alpha(),
          family(baseline, group));
      Map<String, Outcome> decided = new LinkedHashMap<>();
      for (Comparison c : SequentialLook.decide(baseline, spec.analysisPlan(), rule, n, List.of(Measure.RSUM), group)) {
        decided.put(c.variant(), c.outcome());
      }
      for (String v : g.variants()) {
        Outcome o = decided.getOrDefault(v, Outcome.UNDECIDED);
        out.add(new VariantDecision(g.dataset(), g.model(), v, o.word()));
      }
    }
    return out;
  }

  /** Each variant's comparisons at its last look, per dataset × model × split group, for {@code measures}. */
  public static List<Comparison> finalDecisions(BenchmarkSpec spec, String baseline, AnalysisPlan plan,
      List<Measure> measures, List<Observation> observations) {
    AdaptivePlan.SequentialSeeds seeds = spec.adaptive().seeds();
    Map<List<String>, List<Observation>> groups = new LinkedHashMap<>();
    for (Observation o : observations) {
      groups.computeIfAbsent(List.of(o.dataset(), o.model(), o.split()), k -> new ArrayList<>()).add(o);
    }
    List<Comparison> out = new ArrayList<>();
    for (List<Observation> group : groups.values()) {
      SequentialRule rule = SequentialRule.of(seeds.min(), seeds.max(), seeds.step(), plan.alpha(),
          family(baseline, group));
      out.addAll(SequentialLook.finalDecisions(baseline, plan, rule, measures, group));
    }
    return out;
  }

  /** The variants of a group compared with the baseline (at least 1, as the rule needs). */
  private static int family(String baseline, List<Observation> group) {
    return (int) Math.max(1,
        group.stream().map(Observation::variant).filter(v -> !v.equals(baseline)).distinct().count());
  }

  private static Optional<String> primarySplit(BenchmarkSpec spec, String datasetId) {
    return spec.datasets().stream().filter(d -> d.id().equals(datasetId)).findFirst()
        .map(d -> d.primaryProtocol().id());
  }
}
