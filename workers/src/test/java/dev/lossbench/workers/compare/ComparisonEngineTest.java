package dev.lossbench.workers.compare;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.workflows.matrix.AnalysisPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonEngineTest {
  private static Observation run(String split, String variant, long seed, double rsum) {
    return new Observation("scenes", "vse-mean", split, variant, seed, Map.of("rsum", rsum));
  }

  @Test
  void everyVariantAgainstTheBaselinePairedBySeedWithHolmPerGroup() {
    List<Observation> runs = new ArrayList<>();
    for (long s = 1; s <= 8; s++) {
      runs.add(run("test", "base", s, 300 + s));
      runs.add(run("test", "better", s, 310 + s + (s % 2) * 0.5));   // +10 on every seed
      runs.add(run("test", "same", s, 300 + s + (s % 2 == 0 ? 0.1 : -0.1)));
      runs.add(run("coco1k", "base", s, 300 + s));
    }
    runs.add(run("test", "better", 9, 999)); // seed 9 has no baseline: left out of the pairs
    runs.add(run("coco1k", "lonely", 20, 1)); // no paired seed
    List<Comparison> out = ComparisonEngine.compare("base", AnalysisPlan.defaults(), List.of(Measure.RSUM), runs);
    assertEquals(3, out.size());
    Comparison better = out.get(0);
    assertEquals("better", better.variant());
    assertEquals(8, better.result().n());
    assertEquals(10.25, better.result().meanDelta(), 1e-9);
    assertEquals(2 / 256.0, better.result().p(), 1e-15);
    assertEquals(2 * 2 / 256.0, better.pHolm(), 1e-15, "Holm over the two variants of the test split");
    assertEquals(Outcome.BETTER, better.outcome());
    Comparison same = out.get(1);
    assertEquals(Outcome.EQUIVALENT, same.outcome(), "±0.1 within 1 % of a 304.5 mean: " + same);
    assertEquals(3.045, same.result().bound(), 1e-9);
    Comparison lonely = out.get(2);
    assertEquals("coco1k", lonely.split());
    assertEquals(0, lonely.result().n());
    assertEquals(Outcome.UNDECIDED, lonely.outcome());
  }
}
