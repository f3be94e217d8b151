package dev.lossbench.workers.compare;

import dev.lossbench.workflows.matrix.AnalysisPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * A sequential-seeds benchmark simulated through the real decision code: per group, looks at n = min … max seeds
 * ({@link SequentialRule}), at each look {@link SequentialLook#decide} on the runs so far; a decided variant
 * (better / worse / equivalent) gets no more seeds, an undecided one gets the next seeds, the baseline is paired by
 * seed. Only the runs' figures are simulated ({@link Scenario}); the looks, levels, tests and Holm are the
 * engine's, through the seam that lets a calibration plug in a broken rule ({@link Procedure}).
 */
final class SequentialSimulation {
  static final String BASELINE = "triplet-hn:warmup_epochs=1";
  static final double ALPHA = 0.05;
  /** The plan: {@code seeds: {min: 3, max: 10, step: 1}}. */
  static final int MIN = 3;
  static final int MAX = 10;
  static final int STEP = 1;
  /**
   * σ_seed: the spread over seeds of one variant's test rSum (the leaderboard's ±), about what the paper-claims
   * re-run printed (6.0–7.3 rSum, 10 seeds). Half its variance is a per-seed effect shared by every variant of the
   * seed, half the run's own, so the paired differences have the same spread σ_seed.
   */
  static final double SIGMA = 6;
  static final Measure RSUM = Measure.RSUM;
  /** An integer measure, lower is better. */
  static final Measure EPOCHS = new Measure("epochs_to_threshold", MeasureKind.DISCRETE, false);

  private SequentialSimulation() {}

  /** How the figures of one group's runs are drawn. */
  enum Scenario {
    /** Gaussian per-seed and per-run effects around a test rSum of 250. */
    GAUSSIAN(RSUM),
    /** As {@link #GAUSSIAN} with the run's effect heavy-tailed (Student t, 3 df, same σ). */
    HEAVY_TAILS(RSUM),
    /** As {@link #HEAVY_TAILS}, and in a fifth of the groups one run (any variant, any seed) collapses to 30 %. */
    COLLAPSING_SEED(RSUM),
    /**
     * Final validation rSum of a resampled stored curve: each run takes one of the 8 stored shapes at random,
     * stretched over 8 epochs at a speed of its own (log-normal, σ = 0.35), so runs still rising at the last epoch
     * give a long lower tail; per-seed and heavy-tailed per-run effects on its level as above.
     */
    RESAMPLED_CURVES(RSUM),
    /**
     * Epochs to 80 % of the run's own plateau (integer, many ties): a resampled stored shape over 16 epochs at a
     * speed with a per-seed (σ = 0.2) and a per-run (σ = 0.3) log-normal part; 17 when never reached.
     */
    EPOCHS_TO_THRESHOLD(EPOCHS),
    /**
     * A stress row for few-valued measures: the variant reaches the threshold 2 or 3 epochs before or after the
     * baseline on every seed, never at the same epoch (ties broken away: what integer epochs give when the
     * variants' speeds differ per seed but not on average). Symmetric, so the null holds; the exact test never
     * decides before 2/2ⁿ allows it, a t-test does.
     */
    FEW_VALUED(EPOCHS);

    final Measure measure;

    Scenario(Measure measure) {
      this.measure = measure;
    }

    /**
     * values[v][s]: v = 0 the baseline, 1 … variants; s = seed − 1, {@link #MAX} seeds. {@code planted} is added in
     * the measure's good direction to variant 1 only (rSum units, or epochs).
     */
    double[][] draw(SplittableRandom random, int variants, double planted) {
      double[][] values = new double[variants + 1][MAX];
      int collapsing = this == COLLAPSING_SEED && random.nextInt(5) == 0 ? random.nextInt((variants + 1) * MAX) : -1;
      for (int s = 0; s < MAX; s++) {
        double seedEffect = SIGMA / Math.sqrt(2) * SimulatedRuns.gaussian(random);
        double seedSpeed = 0.2 * SimulatedRuns.gaussian(random);
        int baselineEpochs = 6 + (int) Math.round(2 * SimulatedRuns.gaussian(random));
        for (int v = 0; v <= variants; v++) {
          double effect = v == 1 ? planted : 0;
          double runSd = SIGMA / Math.sqrt(2);
          values[v][s] = switch (this) {
            case GAUSSIAN -> 250 + seedEffect + runSd * SimulatedRuns.gaussian(random) + effect;
            case HEAVY_TAILS -> 250 + seedEffect + runSd * SimulatedRuns.studentT3(random) + effect;
            case COLLAPSING_SEED -> (v * MAX + s == collapsing ? 0.3 : 1)
                * (250 + seedEffect + runSd * SimulatedRuns.studentT3(random)) + effect;
            case RESAMPLED_CURVES -> {
              double[] shape = SimulatedRuns.SHAPES.get(random.nextInt(SimulatedRuns.SHAPES.size()));
              double speed = Math.exp(0.35 * SimulatedRuns.gaussian(random));
              yield (250 + seedEffect + runSd * SimulatedRuns.studentT3(random))
                  * SimulatedRuns.at(shape, 8 * speed * shape.length / 8.0) + effect;
            }
            case EPOCHS_TO_THRESHOLD -> {
              double[] shape = SimulatedRuns.SHAPES.get(random.nextInt(SimulatedRuns.SHAPES.size()));
              double speed = Math.exp(seedSpeed + 0.3 * SimulatedRuns.gaussian(random));
              int reached = 17;
              for (int e = 1; e <= 16; e++) {
                if (SimulatedRuns.at(shape, e * speed * shape.length / 16.0) >= 0.8) {
                  reached = e;
                  break;
                }
              }
              yield reached - effect;
            }
            case FEW_VALUED -> v == 0
                ? baselineEpochs
                : baselineEpochs + (random.nextBoolean() ? 1 : -1) * (random.nextBoolean() ? 2 : 3) - effect;
          };
        }
      }
      return values;
    }
  }

  /** The rule a simulated benchmark decides with: the spending plan for m variants and the paired test. */
  record Procedure(String name, IntFunction<SequentialRule> rule, ComparisonEngine.PairedTest test) {
    /** What the workflow runs: {@link SequentialRule#of} and the engine's exact sign-flip test. */
    static final Procedure SOUND = new Procedure("sound (union-bound spending, exact sign-flip test, Holm)",
        m -> SequentialRule.of(MIN, MAX, STEP, ALPHA, m), PairedComparison::compare);
  }

  /**
   * One simulated group's end: each variant's outcome (at the look that decided it, or undecided after the last)
   * and the seeds it used.
   */
  record Run(List<Outcome> outcomes, int[] seedsUsed, List<Comparison> decisions) {}

  /** Group label of the simulated runs. */
  private static final String DATASET = "target";
  private static final String MODEL = "vse-mean";
  private static final String SPLIT = "test";

  static String variant(int v) {
    return v == 0 ? BASELINE : "variant-" + v;
  }

  /** The sequential procedure as the workflow runs it, on figures already drawn for every seed. */
  static Run run(double[][] values, Measure measure, Procedure procedure) {
    int variants = values.length - 1;
    SequentialRule rule = procedure.rule().apply(variants);
    AnalysisPlan plan = AnalysisPlan.defaults().withAlpha(rule.alpha());
    int[] seeds = new int[variants + 1];
    Map<String, Comparison> decided = new HashMap<>();
    Map<String, Comparison> last = new LinkedHashMap<>();
    for (int n : rule.looks()) {
      seeds[0] = n;
      for (int v = 1; v <= variants; v++) {
        if (!decided.containsKey(variant(v))) {
          seeds[v] = n; // undecided: trained on the look's seeds
        }
      }
      List<Comparison> look = SequentialLook.decide(BASELINE, plan, rule, n, List.of(measure),
          observations(values, seeds, measure), procedure.test());
      for (Comparison c : look) {
        if (!decided.containsKey(c.variant())) {
          last.put(c.variant(), c);
          if (c.outcome() != Outcome.UNDECIDED) {
            decided.put(c.variant(), c);
          }
        }
      }
      if (decided.size() == variants) {
        break;
      }
    }
    List<Outcome> outcomes = new ArrayList<>();
    List<Comparison> decisions = new ArrayList<>();
    for (int v = 1; v <= variants; v++) {
      Comparison c = last.get(variant(v));
      outcomes.add(c.outcome());
      decisions.add(c);
    }
    return new Run(outcomes, java.util.Arrays.copyOfRange(seeds, 1, variants + 1), decisions);
  }

  /** The runs the store would hold: each variant's first {@code seeds[v]} seeds. */
  static List<Observation> observations(double[][] values, int[] seeds, Measure measure) {
    List<Observation> out = new ArrayList<>();
    for (int v = 0; v < values.length; v++) {
      for (int s = 0; s < seeds[v]; s++) {
        out.add(new Observation(DATASET, MODEL, SPLIT, variant(v), s + 1, Map.of(measure.name(), values[v][s])));
      }
    }
    return out;
  }

  /** A calibration row: the scenario, the variants compared (Holm's m), the planted effect and the draws. */
  record Row(Scenario scenario, int variants, double planted, int draws) {
    String label() {
      return String.format(Locale.ROOT, "%-19s m=%d%s", scenario.name().toLowerCase(Locale.ROOT).replace('_', ' '),
          variants, planted == 0 ? "" : String.format(Locale.ROOT, " +%.0f", planted));
    }
  }

  /** What a row's draws gave: per-direction false rates over the null variants, power of variant 1, seeds used. */
  record Rates(Row row, double falseBetter, double falseWorse, double power, double meanSeeds, int recomputed,
      int mismatches) {
    /** α/2 + 2.33 binomial standard errors at α/2: a rule at exactly α/2 passes a given check 99 % of the time. */
    double bound() {
      return ALPHA / 2 + 2.33 * Math.sqrt(ALPHA / 2 * (1 - ALPHA / 2) / row.draws());
    }

    boolean violated() {
      return falseBetter > bound() || falseWorse > bound();
    }

    String line() {
      return String.format(Locale.ROOT, "  %-32s %5d | %5.2f %5.2f  [≤ %4.2f]%s | %s %5.1f | %4.2f", row.label(),
          row.draws(), 100 * falseBetter, 100 * falseWorse, 100 * bound(), violated() ? " VIOLATED" : "         ",
          row.planted() == 0 ? "    " : "pwr", row.planted() == 0 ? Double.NaN : 100 * power, meanSeeds);
    }

    static String header() {
      return String.format(Locale.ROOT, "  %-32s %5s | %-32s | %-9s | %s%n", "row", "draws",
          "false better / worse % [bound]", "power %", "seeds/variant");
    }
  }

  /**
   * Simulates a row's draws with {@code procedure}. A false decision is a null variant (not the planted one)
   * found better, or worse, at any look; each direction is counted once per group (family-wise). The first
   * {@code recompute} groups' stored decisions are also recomputed from their runs alone
   * ({@link SequentialLook#finalDecisions}) and compared with the look-by-look ones; mismatches are counted.
   */
  static Rates rates(Row row, Procedure procedure, long seed, int recompute) {
    SplittableRandom random = new SplittableRandom(seed);
    int falseBetter = 0;
    int falseWorse = 0;
    int power = 0;
    long seedsUsed = 0;
    int mismatches = 0;
    Measure measure = row.scenario().measure;
    for (int i = 0; i < row.draws(); i++) {
      double[][] values = row.scenario().draw(random, row.variants(), row.planted());
      Run run = run(values, measure, procedure);
      boolean better = false;
      boolean worse = false;
      for (int v = 0; v < row.variants(); v++) {
        seedsUsed += run.seedsUsed()[v];
        Outcome o = run.outcomes().get(v);
        if (row.planted() != 0 && v == 0) {
          power += o == Outcome.BETTER ? 1 : 0;
          continue;
        }
        better |= o == Outcome.BETTER;
        worse |= o == Outcome.WORSE;
      }
      falseBetter += better ? 1 : 0;
      falseWorse += worse ? 1 : 0;
      if (i < recompute) {
        int[] seeds = new int[row.variants() + 1];
        seeds[0] = java.util.Arrays.stream(run.seedsUsed()).max().orElseThrow();
        System.arraycopy(run.seedsUsed(), 0, seeds, 1, row.variants());
        List<Comparison> stored = SequentialLook.finalDecisions(BASELINE,
            AnalysisPlan.defaults().withAlpha(ALPHA), procedure.rule().apply(row.variants()), List.of(measure),
            observations(values, seeds, measure));
        for (Comparison c : stored) {
          int v = Integer.parseInt(c.variant().substring("variant-".length()));
          mismatches += c.outcome() == run.outcomes().get(v - 1) ? 0 : 1;
        }
      }
    }
    double d = row.draws();
    return new Rates(row, falseBetter / d, falseWorse / d, power / d,
        seedsUsed / d / row.variants(), Math.min(recompute, row.draws()), mismatches);
  }
}
