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
      runs.add(run("test", "better", s, 310 + s + (s % 2) * 0.5)); // +10 on every seed
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

  /** Per-direction false outcomes and power over {@code reps} simulated benchmarks of 8 seeds, 2 variants. */
  private static double[] simulate(int reps, double effect, boolean integer, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    org.apache.commons.math3.distribution.TDistribution heavy = new org.apache.commons.math3.distribution.TDistribution(
        new org.apache.commons.math3.random.Well19937c(seed), 2);
    int better = 0;
    int worse = 0;
    for (int rep = 0; rep < reps; rep++) {
      List<Observation> runs = new ArrayList<>();
      for (long s = 1; s <= 8; s++) {
        double seedEffect = random.nextGaussian() * 5; // shared by every variant of the seed: what pairing removes
        for (String v : List.of("base", "a", "b")) {
          double noise = heavy.sample(); // heavy tails (t, 2 df)
          double value = 300 + seedEffect + noise + (v.equals("a") ? effect : 0);
          if (integer) {
            value = Math.round(value / 2); // few-valued: many ties
          }
          runs.add(run("test", v, s, value));
        }
      }
      Comparison a = ComparisonEngine.compare("base", AnalysisPlan.defaults(), List.of(Measure.RSUM), runs).get(0);
      better += a.outcome() == Outcome.BETTER ? 1 : 0;
      worse += a.outcome() == Outcome.WORSE ? 1 : 0;
    }
    return new double[]{better / (double) reps, worse / (double) reps};
  }

  @Test
  void eachDirectionsFalseOutcomesStayBelowHalfAlphaAndAPlantedEffectIsFound() {
    int reps = 4000;
    double slack = 3 * Math.sqrt(0.025 * 0.975 / reps); // three binomial standard errors at α/2
    for (boolean integer : List.of(false, true)) {
      double[] none = simulate(reps, 0, integer, 11);
      assertTrue(none[0] <= 0.025 + slack && none[1] <= 0.025 + slack,
          (integer ? "integer" : "continuous") + " null: better " + none[0] + ", worse " + none[1]);
    }
    // planted: +6 on every seed of variant a against t(2) noise (differences' sd ≈ 2.4 without the rare huge ones)
    double[] planted = simulate(1000, 6, false, 12);
    assertTrue(planted[0] >= 0.8, "power at +6: " + planted[0]);
    assertEquals(0, planted[1], 0.005, "a better variant is almost never called worse");
  }
}
