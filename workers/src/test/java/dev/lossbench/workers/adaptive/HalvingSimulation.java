package dev.lossbench.workers.adaptive;

import dev.lossbench.workers.compare.SimulatedRuns;
import dev.lossbench.workflows.adaptive.Rungs;
import dev.lossbench.workflows.adaptive.SuccessiveHalving;
import dev.lossbench.workflows.matrix.AnalysisPlan.EquivalenceBound;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A successive-halving sweep simulated through the real decision code ({@link Rungs}, {@link SuccessiveHalving}):
 * learning curves of one group's variants on the same seeds, ranked at each rung on the mean validation rSum over
 * the seeds, as the workflow ranks them. Units are σ_seed: the spread over seeds of one run's validation rSum at
 * the last epoch (6 rSum in the paper-claims re-run), split equally into a per-seed effect shared by every variant
 * of the seed, a per-run effect and per-epoch noise.
 *
 * <p>The mean curve is the mean of the 8 stored quick-matrix shapes ({@link SimulatedRuns#SHAPES}, 4 epochs)
 * stretched over the sweep's epochs; its plateau is 250 rSum (41.7 σ). The truly best variant ends δ above the
 * runner-up; the other competitors trail the runner-up ({@link Field}).
 */
final class HalvingSimulation {
  static final int VARIANTS = 23;
  static final int SEEDS = 3;
  static final int EPOCHS = 8;
  static final int ETA = 3;
  static final int GRACE = 1;
  static final String BASELINE = "triplet-hn:warmup_epochs=1";
  static final String BEST = "v00";
  /** The plateau, in σ_seed: 250 rSum / 6. */
  static final double PLATEAU = 250 / 6.0;
  private static final double PART = 1 / Math.sqrt(3);
  private static final double[] MEAN_SHAPE = meanShape();

  private HalvingSimulation() {}

  /** How the variants' mean curves differ. */
  enum Curves {
    /** By a constant offset at every epoch: early rungs see the final gaps. */
    PARALLEL,
    /**
     * In proportion to the curve (offsets, seed and run effects all scale with it; the per-epoch noise does not):
     * at rung 1 (17 % of the plateau) the gaps are 17 % of the final ones.
     */
    PROPORTIONAL
  }

  /** Where the 22 competitors of the best variant end. */
  enum Field {
    /** The runner-up δ below the best, each next one 0.25 σ further: a smooth sweep surface. */
    SPREAD,
    /** All 22 exactly δ below the best: the worst case for the best. */
    CLUSTER
  }

  private static final String[] LABELS = java.util.stream.IntStream.range(0, VARIANTS)
      .mapToObj(v -> String.format(java.util.Locale.ROOT, "v%02d", v)).toArray(String[]::new);

  static String label(int v) {
    return LABELS[v];
  }

  /** The mean curve at epoch e (of {@link #EPOCHS}) for a run {@code slowdown} times slower (1: the common pace). */
  static double shape(int e, double slowdown) {
    return SimulatedRuns.at(MEAN_SHAPE, e * MEAN_SHAPE.length / (EPOCHS * slowdown));
  }

  /**
   * The share of draws in which successive halving stops the truly best variant.
   *
   * @param slowdown 1, or the late bloomer's: the best's curve that many times slower than the others' (still
   *     ending δ above the runner-up: its plateau is higher), {@link Curves#PARALLEL} noise
   */
  static double stopRate(Curves curves, Field field, double delta, double slowdown, int draws, long seed) {
    return sweep(curves, field, delta, slowdown, null, draws, seed).stopRate();
  }

  /**
   * @param stopRate the share of draws in which the truly best variant was stopped
   * @param survivors the mean number of variants (baseline not counted) that trained past the last deciding rung
   */
  record Sweep(double stopRate, double survivors) {}

  /** {@link #stopRate}, with the rung rule's {@code keep_within} (null: the exact cut). */
  static Sweep sweep(Curves curves, Field field, double delta, double slowdown, EquivalenceBound keepWithin,
      int draws, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Integer> rungs = Rungs.of(GRACE, ETA, EPOCHS);
    int stopped = 0;
    long survivors = 0;
    for (int i = 0; i < draws; i++) {
      int left = survivors(random, rungs, curves, field, delta, slowdown, keepWithin);
      stopped += left < 0 ? 1 : 0;
      survivors += Math.abs(left);
    }
    return new Sweep(stopped / (double) draws, survivors / (double) draws);
  }

  /** The survivors of the last deciding rung; negative when the best is not among them. */
  private static int survivors(SplittableRandom random, List<Integer> rungs, Curves curves, Field field,
      double delta, double slowdown, EquivalenceBound keepWithin) {
    // only the rungs that decide are drawn (the last rung stops nothing): values[v][s][rung index];
    // v = VARIANTS is the baseline (level of the runner-up − 1 σ; never stopped)
    List<Integer> deciding = rungs.subList(0, rungs.size() - 1);
    double[][][] values = new double[VARIANTS + 1][SEEDS][deciding.size()];
    double[] seedEffect = new double[SEEDS];
    for (int s = 0; s < SEEDS; s++) {
      seedEffect[s] = PART * SimulatedRuns.gaussian(random);
    }
    for (int v = 0; v <= VARIANTS; v++) {
      double offset = v == 0
          ? 0
          : v == VARIANTS
              ? -(delta + 1)
              : -(delta + (field == Field.SPREAD ? 0.25 * (v - 1) : 0));
      for (int s = 0; s < SEEDS; s++) {
        double run = PART * SimulatedRuns.gaussian(random);
        for (int r = 0; r < deciding.size(); r++) {
          int e = deciding.get(r);
          double noise = PART * SimulatedRuns.gaussian(random);
          double mean;
          double shared;
          if (curves == Curves.PARALLEL) {
            mean = v == 0 && slowdown != 1
                ? PLATEAU * shape(e, slowdown) / shape(EPOCHS, slowdown)
                : PLATEAU * shape(e, 1) + offset;
            shared = seedEffect[s] + run;
          } else {
            mean = (PLATEAU + offset) * shape(e, 1);
            shared = (seedEffect[s] + run) * shape(e, 1);
          }
          values[v][s][r] = mean + shared + noise;
        }
      }
    }
    Set<Integer> surviving = new LinkedHashSet<>();
    for (int v = 0; v < VARIANTS; v++) {
      surviving.add(v);
    }
    boolean bestStopped = false;
    for (int r = 0; r < deciding.size(); r++) {
      Map<String, Double> means = new LinkedHashMap<>();
      means.put(BASELINE, mean(values[VARIANTS], r));
      for (int v : surviving) {
        means.put(label(v), mean(values[v], r));
      }
      SuccessiveHalving.Decision d = SuccessiveHalving.decide(means, BASELINE, ETA, keepWithin);
      bestStopped |= d.stopped().contains(BEST);
      List<Integer> kept = new ArrayList<>();
      for (int v : surviving) {
        if (d.kept().contains(label(v))) {
          kept.add(v);
        }
      }
      surviving = new LinkedHashSet<>(kept);
    }
    return bestStopped ? -surviving.size() : surviving.size();
  }

  /** A variant's mean over its seeds at a deciding rung (its index). */
  private static double mean(double[][] runs, int rung) {
    double sum = 0;
    for (double[] run : runs) {
      sum += run[rung];
    }
    return sum / runs.length;
  }

  /**
   * How far the late bloomer's mean curve is from the runner-up's at an epoch, in σ (negative: behind), with
   * {@link Curves#PARALLEL} competitors.
   */
  static double lateGap(double delta, double slowdown, int epoch) {
    double late = PLATEAU * shape(epoch, slowdown) / shape(EPOCHS, slowdown);
    double runnerUp = PLATEAU * shape(epoch, 1) - delta;
    return late - runnerUp;
  }

  private static double[] meanShape() {
    double[] mean = new double[SimulatedRuns.SHAPES.get(0).length];
    for (double[] s : SimulatedRuns.SHAPES) {
      for (int i = 0; i < mean.length; i++) {
        mean[i] += s[i] / SimulatedRuns.SHAPES.size();
      }
    }
    return mean;
  }
}
