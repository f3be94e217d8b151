package dev.lossbench.workflows.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lossbench.workflows.matrix.AnalysisPlan.EquivalenceBound;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One rung's decision: the top ⌈n/η⌉, the baseline always, and with {@code keep_within} the ties at the cut. */
class SuccessiveHalvingTest {
  private static final String BASE = "triplet-hn";

  /** Issue #22's g1 at rung 3, shaped: four variants within 0.4 of each other, the rest far below. */
  private static Map<String, Double> rung() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(BASE, 20.0);
    m.put("g5m0", 69.0);
    m.put("g5m01", 69.3);
    m.put("g5m02", 69.4);
    m.put("g5m04", 69.2);
    m.put("g10a", 54.0);
    m.put("g10b", 53.9);
    m.put("g10c", 53.9);
    m.put("tau01", 53.4);
    return m;
  }

  @Test
  void theTopThirdSurvivesAndTheBaselineIsNeverStopped() {
    SuccessiveHalving.Decision d = SuccessiveHalving.decide(rung(), BASE, 3);
    assertEquals(List.of("g5m02", "g5m01", "g5m04", "g5m0", "g10a", "g10b", "g10c", "tau01"), d.ranked());
    assertEquals(Set.of(BASE, "g5m02", "g5m01", "g5m04"), d.kept());
    assertEquals(List.of("g5m0", "g10a", "g10b", "g10c", "tau01"), d.stopped(), "the exact cut splits the tie");
  }

  @Test
  void keepWithinKeepsTheTiesAtTheCutAndNothingFurther() {
    // 1 % of the last survivor's 69.2 is 0.692: 69.0 is within, 54.0 is not
    SuccessiveHalving.Decision relative = SuccessiveHalving.decide(rung(), BASE, 3, new EquivalenceBound(0.01, true));
    assertEquals(Set.of(BASE, "g5m02", "g5m01", "g5m04", "g5m0"), relative.kept());
    assertEquals(List.of("g10a", "g10b", "g10c", "tau01"), relative.stopped());
    // absolute: 0.1 keeps nothing more (69.0 is 0.2 below 69.2); 0.2 keeps it (the bound is inclusive)
    assertEquals(Set.of(BASE, "g5m02", "g5m01", "g5m04"),
        SuccessiveHalving.decide(rung(), BASE, 3, new EquivalenceBound(0.1, false)).kept());
    assertEquals(Set.of(BASE, "g5m02", "g5m01", "g5m04", "g5m0"),
        SuccessiveHalving.decide(rung(), BASE, 3, new EquivalenceBound(0.2, false)).kept());
    // measured from the last survivor, not chained: 15.2 keeps 54.0 (15.2 below 69.2) but not 53.9
    assertEquals(List.of("g10b", "g10c", "tau01"),
        SuccessiveHalving.decide(rung(), BASE, 3, new EquivalenceBound(15.2, false)).stopped());
  }

  @Test
  void aVariantWithoutAFiniteMeanIsNeverATie() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("a", 10.0);
    m.put("b", Double.NaN);
    m.put("c", null);
    SuccessiveHalving.Decision d = SuccessiveHalving.decide(m, BASE, 3, new EquivalenceBound(100, false));
    assertEquals(Set.of("a"), d.kept());
    assertEquals(List.of("b", "c"), d.stopped());
    // every mean missing: the cut is at minus infinity and nothing is kept beyond ⌈n/η⌉
    Map<String, Double> none = new LinkedHashMap<>();
    none.put("x", Double.NaN);
    none.put("y", Double.NaN);
    none.put("z", Double.NaN);
    assertEquals(Set.of("x"), SuccessiveHalving.decide(none, BASE, 3, new EquivalenceBound(0.5, true)).kept());
  }
}
