package dev.lossbench.workers.compare;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The deciding test on the exact inputs of issue #21, its interval, TOST and P(A > B). */
class PairedComparisonTest {
  private static PairedResult compare(double[] a, double[] b, MeasureKind kind, double bound) {
    return PairedComparison.compare(a, b, kind, bound, 0.05);
  }

  private static double[] zeros(int n) {
    return new double[n];
  }

  @Test
  void fiveSeedsEachOneEpochFasterGiveTheExactP() {
    // epochs to a threshold, variant − baseline = −1 on every seed: zero variance is not certainty
    PairedResult r = compare(new double[]{4, 5, 6, 4, 5}, new double[]{5, 6, 7, 5, 6}, MeasureKind.DISCRETE, 1);
    assertEquals(2 / 32.0, r.p(), 1e-15);
    assertNull(r.pT(), "no t statistic without variance");
    assertEquals(-1, r.meanDelta(), 0);
    assertNull(r.ciLow(), "no 95 % sign-flip interval exists with 5 seeds");
    assertEquals(PairedComparison.EXACT, r.test());
    assertEquals(0, r.pAGreater());
  }

  @Test
  void weakerEvidenceNeverGivesAStrongerVerdict() {
    PairedResult allFaster = compare(new double[]{-1, -1, -1, -1, -1}, zeros(5), MeasureKind.DISCRETE, 0.5);
    PairedResult oneTied = compare(new double[]{-1, -1, -1, -1, 0}, zeros(5), MeasureKind.DISCRETE, 0.5);
    assertEquals(0.0625, allFaster.p(), 1e-15);
    assertEquals(0.125, oneTied.p(), 1e-15, "a tie counts against the rejection");
    assertTrue(oneTied.p() >= allFaster.p());
    assertEquals(0.016, oneTied.pT(), 0.001, "the t-test would have said 0.016: printed, never deciding");
    Outcome strong = Outcome.decide(allFaster.meanDelta(), allFaster.p(), allFaster.pEquivalence(), 0.05, false);
    Outcome weak = Outcome.decide(oneTied.meanDelta(), oneTied.p(), oneTied.pEquivalence(), 0.05, false);
    assertEquals(Outcome.UNDECIDED, strong);
    assertEquals(Outcome.UNDECIDED, weak);
    // with 6 seeds the stronger evidence decides and the weaker (one tie) does not
    PairedResult six = compare(new double[]{-1, -1, -1, -1, -1, -1}, zeros(6), MeasureKind.DISCRETE, 0.5);
    PairedResult sixTied = compare(new double[]{-1, -1, -1, -1, -1, 0}, zeros(6), MeasureKind.DISCRETE, 0.5);
    assertEquals(Outcome.BETTER, Outcome.decide(six.meanDelta(), six.p(), six.pEquivalence(), 0.05, false));
    assertEquals(Outcome.UNDECIDED,
        Outcome.decide(sixTied.meanDelta(), sixTied.p(), sixTied.pEquivalence(), 0.05, false));
  }

  @Test
  void theReadmeTarget300ClaimIsNotSignificantAtFiveSeeds() {
    PairedResult r = compare(new double[]{-1, -2, -2, -1, -2}, zeros(5), MeasureKind.DISCRETE, 1);
    assertEquals(0.0625, r.p(), 1e-15);
    assertEquals(0.0028, r.pT(), 0.0001, "what the old rule decided with");
  }

  @Test
  void floatingPointNoiseIsNotCertainty() {
    // two seeds whose differences differ only by rounding (≈ 7e-15): the old rule said t = 1.7e14
    double[] a = {75.2, 50.5};
    double[] b = {75.1, 50.4};
    double[] d = {a[0] - b[0], a[1] - b[1]};
    assertEquals(7.1e-15, d[0] - d[1], 1e-16, "the premise: rounding made the differences unequal");
    PairedResult r = compare(a, b, MeasureKind.CONTINUOUS, 5);
    assertEquals(0.5, r.p(), 1e-15);
    // differences that are rounding around 0 are ties, not evidence
    PairedResult noise = compare(new double[]{0.1 + 0.2, 0.3}, new double[]{0.3, 0.1 + 0.2}, MeasureKind.CONTINUOUS, 5);
    assertEquals(1.0, noise.p());
    assertEquals(0.5, noise.pAGreater());
    assertEquals(0.0, noise.meanDelta());
  }

  @Test
  void theIntervalExcludesZeroExactlyWhenTheTestRejects() {
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 300; trial++) {
      int n = 2 + random.nextInt(11);
      double shift = random.nextDouble(-2, 2);
      double[] a = new double[n];
      double[] b = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = 300 + shift + random.nextGaussian() * 1.5;
        b[i] = 300 + random.nextGaussian() * 1.5;
      }
      PairedResult r = compare(a, b, MeasureKind.CONTINUOUS, 1);
      boolean excludes = (r.ciLow() != null && r.ciLow() > 0) || (r.ciHigh() != null && r.ciHigh() < 0);
      assertEquals(r.p() <= 0.05, excludes, "n=" + n + " " + r);
      if (r.ciLow() != null) {
        assertTrue(r.ciLow() <= r.meanDelta() && r.meanDelta() <= r.ciHigh(), r.toString());
      } else {
        assertTrue(n <= 5, "unbounded only where 2/2^n > 0.05: " + r);
      }
    }
  }

  @Test
  void theIntervalIsHartigansFromSixSeeds() {
    // 2^6 = 64 patterns: the 95 % interval runs from the 1st to the 63rd of the sorted subset means
    // (α·64/2 − 1 = 0.6 → 1 subset mean cut off each side), i.e. from the smallest to the largest single value
    double[] d = {1, 2, 3, 4, 5, 6};
    PairedResult r = compare(d, zeros(6), MeasureKind.CONTINUOUS, 1);
    assertEquals(1, r.ciLow());
    assertEquals(6, r.ciHigh());
    assertEquals(2 / 64.0, r.p(), 1e-15);
    assertEquals(1.0, r.pAGreater());
    assertEquals(0.610, r.pAGreaterLow(), 0.001, "Wilson 95 % for 6 of 6");
    assertEquals(1.0, r.pAGreaterHigh());
  }

  @Test
  void tostSaysEquivalentOnlyWhenTheIntervalIsInsideTheBound() {
    double[] d = {0.2, -0.1, 0.3, 0.0, -0.2, 0.1, 0.15, -0.05};
    PairedResult tight = compare(d, zeros(8), MeasureKind.CONTINUOUS, 1);
    assertTrue(tight.pEquivalence() <= 0.05, tight.toString());
    PairedResult loose = compare(d, zeros(8), MeasureKind.CONTINUOUS, 0.1);
    assertTrue(loose.pEquivalence() > 0.05, loose.toString());
    assertNull(compare(d, zeros(8), MeasureKind.CONTINUOUS, 0).pEquivalence(), "no bound, no TOST");
    assertEquals(Outcome.EQUIVALENT, Outcome.decide(tight.meanDelta(), tight.p(), tight.pEquivalence(), 0.05, true));
  }

  @Test
  void beyondTwentySeedsMonteCarloWithAFixedSeed() {
    double[] a = new double[25];
    Arrays.fill(a, 1);
    a[0] = -1;
    PairedResult r = compare(a, zeros(25), MeasureKind.CONTINUOUS, 1);
    assertEquals(PairedComparison.MONTE_CARLO, r.test());
    assertEquals(r, compare(a, zeros(25), MeasureKind.CONTINUOUS, 1), "the same data gives the same p");
    assertTrue(r.p() < 0.001, r.toString());
    assertTrue(r.p() > 0, "a Monte Carlo p counts the observed pattern: never 0");
  }

  @Test
  void noPairsNoFigures() {
    PairedResult r = compare(new double[0], new double[0], MeasureKind.CONTINUOUS, 1);
    assertEquals(0, r.n());
    assertNull(r.p());
    assertNull(r.meanDelta());
    assertEquals(Outcome.UNDECIDED, Outcome.decide(r.meanDelta(), r.p(), r.pEquivalence(), 0.05, true));
    assertEquals(0.5, PairedResult.minimumP(2));
    assertEquals(0.03125, PairedResult.minimumP(6));
  }
}
