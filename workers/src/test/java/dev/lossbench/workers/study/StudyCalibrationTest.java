package dev.lossbench.workers.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.workers.compare.MeasureKind;
import dev.lossbench.workers.compare.Outcome;
import dev.lossbench.workers.compare.PairedResult;
import dev.lossbench.workers.study.StudyInput.EpochPoint;
import dev.lossbench.workers.study.StudyInput.StudyDataset;
import dev.lossbench.workers.study.StudyInput.StudyRun;
import dev.lossbench.workers.study.StudyResult.ClaimVerdict;
import dev.lossbench.workers.study.StudyResult.DatasetVerdict;
import dev.lossbench.workflows.matrix.AnalysisPlan;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

/**
 * The study's error rates, simulated through the real code path: the real {@link Study} and the comparison engine
 * decide every draw; only the per-seed run figures are simulated. Fixed seeds: the same table every run.
 *
 * <p>The null (no variant differs): learning curves resampled from real runs ({@code study/quick-validation-curves.csv},
 * 8 curves of {@code matrices/quick.yaml}; each run takes the shape of one of them at random, whatever its variant,
 * stretched over 12 epochs at a speed of its own, log-normal with σ = 0.35, so that runs reach their plateau at
 * different epochs as longer trainings do),
 * a per-seed effect shared by every variant of the seed, a per-run effect with heavy tails (Student t, 3 df) seen by
 * validation and test, per-epoch noise with heavy tails, a collapsing seed (in a fifth of the draws one run, of any
 * variant, collapses to 30 % of its curve), two datasets (150 and 300 training images: Claim 2 decides on the
 * first), two VLC references (τ = 0.05 matching γ = 20, τ = 0.02 matching γ = 50), an integer measure (epochs to
 * 90 % of the run's own best, Claim 1's secondary measure), 2, 3, 5 and 10 seeds, and the unified variant either
 * pre-registered (K = 1) or chosen on validation among K = 8 candidates (γ ∈ {10, 20, 50, 80} × m ∈ {0.1, 0.2}).
 * One row climbs in steps instead ({@link Climb#STEPS}): the integer measure's hard case, paired differences of
 * ±2 or ±3 epochs and never 0, where a t-test errs most.
 *
 * <p>Per row and direction the family-wise false rate — any dataset's finding "better" (SUPPORTED) or "worse"
 * (NOT SUPPORTED the other way) — must stay within the 99 % quantile of Binomial(draws, α/2) (exact, not the normal
 * approximation, which is too narrow at a few hundred draws: a rule at exactly α/2 passes a given check ≥ 99 % of the
 * time; the rates of the sound rules sit well below α/2 except at 10 seeds). With the named effect planted (every
 * unified candidate +{@value #PLANTED} rSum at every epoch and on test, 10 seeds, pre-registered) Claim 1 and Claim 2
 * must come out SUPPORTED in ≥ 80 % of draws. The mutation check plugs three broken rules into the same calibration,
 * each of which must violate a bound: (a) zero variance taken as certainty, (b) no correction for the choice among
 * candidates, (c) a t-test on the integer measure. Every row draws from a random stream of its own, so a row's figures
 * do not depend on which rows ran before it: the mutation check runs first the rows its rule is aimed at and stops at
 * the first violation, which fails the calibration exactly when the full table would. Every table is printed.
 */
class StudyCalibrationTest {
  private static final double ALPHA = 0.05;
  private static final double PLANTED = 50;
  private static final String TRIPLET = "triplet-hn:warmup_epochs=1";
  private static final String VLC_MATCHED = "infonce:tau=0.05";
  private static final String VLC_OTHER = "infonce:tau=0.02";
  private static final String REGISTERED = "unified:gamma=20,margin=0.2";
  private static final List<String> CANDIDATES = List.of(REGISTERED, "unified:gamma=20,margin=0.1",
      "unified:gamma=50,margin=0.2", "unified:gamma=50,margin=0.1", "unified:gamma=10,margin=0.2",
      "unified:gamma=10,margin=0.1", "unified:gamma=80,margin=0.2", "unified:gamma=80,margin=0.1");
  /** Epochs of a simulated run: the real 4-epoch shapes stretched in time by each run's own speed. */
  private static final int EPOCHS = 12;
  private static final List<double[]> SHAPES = shapes();

  /**
   * How a row's runs climb. {@code CURVES}: resampled real curves (above). {@code STEPS}: each run sits on a plateau
   * (under half its level) until it crosses 90 % of its best within one epoch — a learning-rate step, or the escape
   * from the early collapse of hard-negative training that VSE∞'s warm-up is there to avoid — so epochs to 90 % is
   * the epoch of that step, an integer. On every seed the judged variant and Triplet-HN cross 2 or 3 epochs apart,
   * either one first with equal chance (the null); seeds where both cross at the same step would be ties, which
   * carry no sign for any paired test and are broken away here: every difference is ±2 or ±3 epochs, never 0. That
   * is where a t-test on an integer measure errs most (3 seeds, {2, 3, 2} epochs: t p = 0.020; p ≤ 0.020 for the 6
   * of the 8 same-sign patterns whose values vary, so ≈ 1/8 × 6/8 = 9.4 % false per direction) while the sign-flip
   * test stays exact (its smallest p with 3 seeds is 0.25).
   */
  private enum Climb {
    CURVES, STEPS
  }

  /** A calibration row: seeds, whether the judged variant is pre-registered (K = 1) or chosen among 8, datasets. */
  private record Row(int seeds, boolean registered, int datasets, int draws, Climb climb) {
    Row(int seeds, boolean registered, int draws) {
      this(seeds, registered, 2, draws, Climb.CURVES);
    }

    String label() {
      return String.format(Locale.ROOT, "%2d seeds, %d dataset%s, %s%s", seeds, datasets, datasets == 1 ? " " : "s",
          registered ? "K=1 pre-registered" : "K=8 on validation", climb == Climb.STEPS ? ", in steps" : "");
    }

    /** The row's own random stream: its figures do not depend on the rows run before it. */
    SplittableRandom random() {
      return new SplittableRandom(21L * 1_000_003L + label().hashCode());
    }
  }

  /**
   * The rows. With 2, 3 or 5 seeds the sound rules cannot find anything (the smallest two-sided exact p is 2/2ⁿ ≥
   * 0.0625 &gt; α, and Holm only raises it): their false rates are 0 at any number of draws, so those rows need only
   * enough draws to catch the broken rules (a) and (c) with a wide margin. The 10-seed rows are where the sound
   * rules' rates approach α/2; they keep the draws they had.
   */
  private static final List<Row> ROWS = List.of(new Row(2, true, 500), new Row(2, false, 500),
      new Row(3, true, 1, 400, Climb.STEPS), new Row(5, true, 500), new Row(5, false, 400),
      new Row(5, true, 1, 500, Climb.CURVES), new Row(10, true, 400), new Row(10, false, 700));
  /** The check's level: a rule at exactly α/2 stays within the bound with this probability per check. */
  private static final double CHECK_LEVEL = 0.99;

  /** What is counted: the claim's finding on the datasets it judges, per direction. */
  private enum Measure {
    CLAIM1("Claim 1 (curve area)"), CLAIM2("Claim 2 vs best VLC"), CLAIM2_MATCHED("Claim 2 vs VLC τ=1/γ"),
    EPOCHS("epochs to 90% (integer)");

    final String label;

    Measure(String label) {
      this.label = label;
    }
  }

  /** Per measure, the number of draws with a "better" and with a "worse" finding. */
  private record Rates(Map<Measure, int[]> byMeasure, int draws) {}

  @Test
  void falseFindingsStayWithinHalfAlphaPerDirectionAndThePowerHolds() {
    StringBuilder out = new StringBuilder();
    List<String> violations = calibrate(StudyRules.SOUND, "sound rules (the engine's sign-flip test, Holm)", out, ROWS,
        false);
    double[] power = power(StudyRules.SOUND);
    out.append(String.format(Locale.ROOT, "power, +%.0f rSum planted at every epoch and on test, 10 seeds, K=1"
        + " pre-registered, %d draws: Claim 1 SUPPORTED %.1f%%, Claim 2 SUPPORTED %.1f%%%n", PLANTED, POWER_DRAWS,
        100 * power[0], 100 * power[1]));
    System.out.print(out);
    assertTrue(violations.isEmpty(), "bound violated: " + violations + "\n" + out);
    assertTrue(power[0] >= 0.8 && power[1] >= 0.8, "power below 80 %\n" + out);
  }

  /** A broken rule and the rows it is aimed at (run first; the rest follow until a bound is violated). */
  private record Broken(StudyRules rules, Predicate<Row> aimedAt) {}

  @Test
  void eachOfThreeBrokenRulesFailsTheCheck() {
    Map<String, Broken> broken = new LinkedHashMap<>();
    broken.put("(a) zero variance is certainty: p = 0 when the paired differences do not vary",
        new Broken(new StudyRules(ZERO_VARIANCE_IS_CERTAINTY, true), row -> row.seeds() == 2));
    broken.put("(b) no correction for choosing the best of K candidates on validation",
        new Broken(new StudyRules(PairedTest.ENGINE, false), row -> !row.registered()));
    broken.put("(c) Student's paired t-test on the integer measure (zero variance: 2/2^n, as before)",
        new Broken(new StudyRules(T_TEST_ON_INTEGERS, true), row -> row.climb() == Climb.STEPS));
    StringBuilder out = new StringBuilder();
    List<Boolean> caught = new ArrayList<>();
    for (Map.Entry<String, Broken> rule : broken.entrySet()) {
      Predicate<Row> aimed = rule.getValue().aimedAt();
      List<Row> order = Stream.concat(ROWS.stream().filter(aimed), ROWS.stream().filter(aimed.negate())).toList();
      List<String> violations = calibrate(rule.getValue().rules(), "MUTATION " + rule.getKey(), out, order, true);
      out.append(violations.isEmpty()
          ? "  -> error-rate bound NOT violated\n"
          : "  -> caught: " + violations.size()
              + " bound(s) violated, first: " + violations.get(0) + "\n");
      caught.add(!violations.isEmpty());
    }
    System.out.print(out);
    assertTrue(caught.get(0), "(a) not caught\n" + out);
    assertTrue(caught.get(1), "(b) not caught\n" + out);
    assertTrue(caught.get(2), "(c) not caught\n" + out);
  }

  /** Issue #21's exact inputs under the t-test rule (c): the weaker evidence gets the stronger finding. */
  @Test
  void theTTestOnIntegersCallsTheWeakerEvidenceBetterOnIssue21sInputs() {
    StringBuilder out = new StringBuilder();
    Outcome fiveFaster = epochsFinding(T_TEST_ON_INTEGERS, new int[]{3, 3, 3, 3, 3});
    Outcome fourFasterOneTied = epochsFinding(T_TEST_ON_INTEGERS, new int[]{3, 3, 3, 3, 4});
    out.append("MUTATION (c) on issue #21's inputs (epochs to 90 %, 5 seeds vs 4 each on Triplet-HN): five seeds one"
        + " epoch faster -> " + fiveFaster.word() + ", four faster and one tied -> " + fourFasterOneTied.word()
        + " (sound rules: " + epochsFinding(PairedTest.ENGINE, new int[]{3, 3, 3, 3, 3}).word() + " / "
        + epochsFinding(PairedTest.ENGINE, new int[]{3, 3, 3, 3, 4}).word() + ")\n");
    System.out.print(out);
    assertEquals(Outcome.BETTER, fourFasterOneTied, "(c): the weaker evidence is called better\n" + out);
    assertEquals(Outcome.UNDECIDED, fiveFaster, "(c): the stronger evidence is not\n" + out);
    assertEquals(Outcome.UNDECIDED, epochsFinding(PairedTest.ENGINE, new int[]{3, 3, 3, 3, 4}));
  }

  /** The secondary epochs finding of a study where every Triplet-HN seed reaches 90 % at epoch 4. */
  private static Outcome epochsFinding(PairedTest test, int[] unified) {
    List<StudyRun> runs = new ArrayList<>();
    for (int s = 0; s < unified.length; s++) {
      runs.add(new StudyRun("u" + s, "d", "m", "unified", REGISTERED, s + 1, reaching(unified[s]), 300.0));
      runs.add(new StudyRun("t" + s, "d", "m", "triplet-hn", TRIPLET, s + 1, reaching(4), 300.0));
    }
    StudyResult r = Study.compute(new StudyInput("benchmark-e", "e", List.of(new StudyDataset("d", "d", 100L, null)),
        runs), StudyOptions.defaults(), new StudyRules(test, true));
    return r.verdict(1).datasets().get(0).secondary().get(0).finding();
  }

  private static List<EpochPoint> reaching(int epoch) {
    List<EpochPoint> points = new ArrayList<>();
    for (int e = 1; e <= 8; e++) {
      points.add(new EpochPoint(e, e == 8 ? 300.0 : e >= epoch ? 280.0 : 200.0, 1));
    }
    return points;
  }

  @Test
  void theFixtureHoldsRealCurves() {
    assertEquals(8, SHAPES.size());
    assertTrue(SHAPES.stream().allMatch(s -> s.length == 4 && s[3] == 1));
  }

  /** The row in steps is what it claims: the judged − Triplet-HN epochs to 90 % are ±2 or ±3 on every seed. */
  @Test
  void theRowInStepsDiffersByTwoOrThreeEpochsNeverZero() {
    Row row = ROWS.stream().filter(r -> r.climb() == Climb.STEPS).findFirst().orElseThrow();
    SplittableRandom random = row.random();
    Map<Integer, Integer> seen = new TreeMap<>();
    for (int i = 0; i < row.draws(); i++) {
      Map<String, Double> epochs = new HashMap<>();
      for (StudyRun run : draw(random, row, 0).runs()) {
        if (run.variant().equals(REGISTERED) || run.variant().equals(TRIPLET)) {
          epochs.put(run.variant() + "/" + run.seed(), RunFigures.of(run, StudyOptions.defaults()).epochs());
        }
      }
      for (int s = 1; s <= row.seeds(); s++) {
        seen.merge((int) (epochs.get(REGISTERED + "/" + s) - epochs.get(TRIPLET + "/" + s)), 1, Integer::sum);
      }
    }
    assertEquals(Set.of(-3, -2, 2, 3), seen.keySet(), "differences seen: " + seen);
  }

  // ---- broken rules (the mutation check) ----

  /** (a): the engine's test, except that differences which do not vary are taken as certain (p = 0). */
  private static final PairedTest ZERO_VARIANCE_IS_CERTAINTY = (a, b, kind, bound, alpha) -> {
    PairedResult r = PairedTest.ENGINE.compare(a, b, kind, bound, alpha);
    double[] d = differences(a, b);
    if (d.length >= 2 && StatUtils.variance(d) == 0 && r.meanDelta() != 0) {
      return withP(r, 0.0);
    }
    return r;
  };

  /** (c): for integer measures, the paired t-test's p decides (the old zero-variance fallback 2/2ⁿ kept). */
  private static final PairedTest T_TEST_ON_INTEGERS = (a, b, kind, bound, alpha) -> {
    PairedResult r = PairedTest.ENGINE.compare(a, b, kind, bound, alpha);
    double[] d = differences(a, b);
    if (kind != MeasureKind.DISCRETE || d.length < 2) {
      return r;
    }
    double p = StatUtils.variance(d) == 0
        ? (r.meanDelta() == 0 ? 1 : Math.min(1, 2 / Math.pow(2, d.length)))
        : new TTest().pairedTTest(a, b);
    return withP(r, p);
  };

  private static double[] differences(double[] a, double[] b) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    return d;
  }

  private static PairedResult withP(PairedResult r, double p) {
    return new PairedResult(r.n(), r.meanDelta(), r.ciLow(), r.ciHigh(), r.pAGreater(), r.pAGreaterLow(),
        r.pAGreaterHigh(), p, r.pT(), r.test(), r.pEquivalence(), r.bound(), r.kind());
  }

  // ---- the calibration ----

  /**
   * Runs {@code rows} under the null with {@code rules}, appends the table, returns the bounds violated; with
   * {@code untilViolated}, stops after the first row that violates a bound (the mutation check's verdict).
   */
  private static List<String> calibrate(StudyRules rules, String title, StringBuilder out, List<Row> rows,
      boolean untilViolated) {
    out.append(title).append('\n');
    out.append(String.format(Locale.ROOT, "  %-51s %5s | %s%n", "row", "draws",
        "false better / false worse, % (bound per direction: 99 % quantile of Binomial(draws, α/2))"));
    List<String> violations = new ArrayList<>();
    for (Row row : rows) {
      Rates rates = rates(row.random(), row, rules, 0, row.draws());
      int allowed = allowed(row.draws());
      double bound = (double) allowed / row.draws();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-51s %5d |", row.label(), row.draws()));
      for (Measure m : Measure.values()) {
        int[] c = rates.byMeasure().get(m);
        line.append(String.format(Locale.ROOT, " %s %4.1f/%4.1f", m.label, 100.0 * c[0] / row.draws(),
            100.0 * c[1] / row.draws()));
        for (int dir = 0; dir < 2; dir++) {
          if (c[dir] > allowed) {
            violations.add(String.format(Locale.ROOT, "%s, %s: false %s %.1f%% > %.1f%%", row.label(), m.label,
                dir == 0 ? "better" : "worse", 100.0 * c[dir] / row.draws(), 100 * bound));
          }
        }
      }
      out.append(line).append(String.format(Locale.ROOT, "  [bound %.1f%%]%n", 100 * bound));
      if (untilViolated && !violations.isEmpty()) {
        break;
      }
    }
    return violations;
  }

  /** The most false findings per direction a rule at exactly α/2 gives with probability ≥ {@link #CHECK_LEVEL}. */
  static int allowed(int draws) {
    return new BinomialDistribution(null, draws, ALPHA / 2).inverseCumulativeProbability(CHECK_LEVEL);
  }

  private static final int POWER_DRAWS = 300;

  /** Share of draws with Claim 1 and Claim 2 (headline) SUPPORTED under the planted effect. */
  private static double[] power(StudyRules rules) {
    SplittableRandom random = new SplittableRandom(7);
    int claim1 = 0;
    int claim2 = 0;
    for (int i = 0; i < POWER_DRAWS; i++) {
      StudyResult r = study(random, new Row(10, true, POWER_DRAWS), rules, PLANTED);
      claim1 += r.verdict(1).outcome() == StudyResult.Outcome.SUPPORTED ? 1 : 0;
      claim2 += r.verdict(2).outcome() == StudyResult.Outcome.SUPPORTED ? 1 : 0;
    }
    return new double[]{(double) claim1 / POWER_DRAWS, (double) claim2 / POWER_DRAWS};
  }

  private static Rates rates(SplittableRandom random, Row row, StudyRules rules, double effect, int draws) {
    Map<Measure, int[]> counts = new LinkedHashMap<>();
    for (Measure m : Measure.values()) {
      counts.put(m, new int[2]);
    }
    for (int i = 0; i < draws; i++) {
      StudyResult r = study(random, row, rules, effect);
      count(counts.get(Measure.CLAIM1), r.verdict(1).datasets(), DatasetVerdict::finding);
      count(counts.get(Measure.CLAIM2), decisive(r.verdicts(2).get(0)), DatasetVerdict::finding);
      count(counts.get(Measure.CLAIM2_MATCHED), decisive(r.verdicts(2).get(1)), DatasetVerdict::finding);
      count(counts.get(Measure.EPOCHS), r.verdict(1).datasets(),
          d -> d.secondary().stream().filter(s -> s.kind() == MeasureKind.DISCRETE).findFirst().orElseThrow()
              .finding());
    }
    return new Rates(counts, draws);
  }

  private static List<DatasetVerdict> decisive(ClaimVerdict v) {
    return v.datasets().stream().filter(DatasetVerdict::decisive).toList();
  }

  private static void count(int[] c, List<DatasetVerdict> datasets, Function<DatasetVerdict, Outcome> finding) {
    c[0] += datasets.stream().anyMatch(d -> finding.apply(d) == Outcome.BETTER) ? 1 : 0;
    c[1] += datasets.stream().anyMatch(d -> finding.apply(d) == Outcome.WORSE) ? 1 : 0;
  }

  private static StudyResult study(SplittableRandom random, Row row, StudyRules rules, double effect) {
    StudyInput input = draw(random, row, effect);
    if (row.registered()) {
      input = new StudyInput(input.benchmarkId(), input.benchmarkName(), input.datasets(), input.runs(),
          new Preregistration(new AnalysisPlan(ALPHA, Map.of(), Preregistration.CURVE_AREA, List.of(REGISTERED),
              List.of("rsum", Preregistration.CURVE_AREA))));
    }
    return Study.compute(input, StudyOptions.defaults().withAlpha(ALPHA), rules);
  }

  /** One simulated benchmark of {@code row}: its datasets, Triplet-HN, two VLCs and eight unified candidates. */
  private static StudyInput draw(SplittableRandom random, Row row, double effect) {
    int seeds = row.seeds();
    int datasetCount = row.datasets();
    List<String> variants = new ArrayList<>(List.of(TRIPLET, VLC_MATCHED, VLC_OTHER));
    variants.addAll(CANDIDATES);
    List<StudyDataset> datasets = List.of(new StudyDataset("d150", "target-150", 150L, null),
        new StudyDataset("d300", "target-300", 300L, null)).subList(0, datasetCount);
    double[] levels = {220, 270};
    List<StudyRun> runs = new ArrayList<>();
    int collapsing = random.nextInt(5) == 0 ? random.nextInt(variants.size() * seeds * datasetCount) : -1;
    int index = 0;
    for (int di = 0; di < datasetCount; di++) {
      StudyDataset d = datasets.get(di);
      for (int s = 0; s < seeds; s++) {
        double seedEffect = 12 * gaussian(random);
        // STEPS: the seed's first step, and the gap to its next; the judged variant and Triplet-HN take one each
        int firstStep = 2 + random.nextInt(3);
        int gap = 2 + random.nextInt(2);
        boolean judgedFirst = random.nextBoolean();
        for (String v : variants) {
          double planted = v.startsWith("unified") ? effect : 0;
          double[] shape = SHAPES.get(random.nextInt(SHAPES.size()));
          double speed = Math.exp(0.35 * gaussian(random));
          double runEffect = 8 * studentT3(random);
          double collapse = index++ == collapsing ? 0.3 : 1;
          double level = collapse * (levels[di] + seedEffect + runEffect);
          int step = row.climb() != Climb.STEPS
              ? 0
              : v.equals(REGISTERED)
                  ? (judgedFirst ? firstStep : firstStep + gap)
                  : v.equals(TRIPLET)
                      ? (judgedFirst ? firstStep + gap : firstStep)
                      : firstStep + (random.nextBoolean() ? 0 : gap);
          List<EpochPoint> epochs = new ArrayList<>();
          for (int e = 1; e <= EPOCHS; e++) {
            // in steps, the noise is relative (0.5 %) so that it never moves the crossing off the step's epoch
            double rsum = row.climb() == Climb.STEPS
                ? level * (e < step ? 0.4 + 0.1 * e / step : 1) * (1 + 0.005 * gaussian(random)) + planted
                : level * at(shape, e * speed * shape.length / EPOCHS) + 4 * studentT3(random) + planted;
            epochs.add(new EpochPoint(e, rsum, 1));
          }
          double test = collapse * (levels[di] + 40 + seedEffect + runEffect) + 5 * studentT3(random) + planted;
          String loss = v.substring(0, v.indexOf(':'));
          runs.add(new StudyRun(d.id() + "-" + v + "-" + s, d.id(), "m", loss, v, s + 1, epochs, test));
        }
      }
    }
    return new StudyInput("benchmark-sim", "sim", datasets, runs);
  }

  /** A shape at fractional epoch t (0 before training, linear between epochs, its plateau after the last). */
  private static double at(double[] shape, double t) {
    if (t >= shape.length) {
      return 1;
    }
    int i = (int) Math.floor(t);
    double low = i == 0 ? 0 : shape[i - 1];
    return low + (t - i) * (shape[i] - low);
  }

  /** The fixture's curves, each divided by its last epoch's validation rSum: shapes ending at 1. */
  private static List<double[]> shapes() {
    Map<String, List<Double>> curves = new LinkedHashMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        StudyCalibrationTest.class.getResourceAsStream("/study/quick-validation-curves.csv"),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("#") || line.startsWith("variant")) {
          continue;
        }
        String[] f = line.split(",");
        curves.computeIfAbsent(f[0] + "/" + f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[3]));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<double[]> shapes = new ArrayList<>();
    for (List<Double> c : curves.values()) {
      double last = c.get(c.size() - 1);
      shapes.add(c.stream().mapToDouble(x -> x / last).toArray());
    }
    assertFalse(shapes.isEmpty());
    return shapes;
  }

  private static double studentT3(SplittableRandom random) {
    double z = gaussian(random);
    double chi = 0;
    for (int i = 0; i < 3; i++) {
      double g = gaussian(random);
      chi += g * g;
    }
    return z / Math.sqrt(chi / 3);
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
