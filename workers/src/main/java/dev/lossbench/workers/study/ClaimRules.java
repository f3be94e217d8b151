package dev.lossbench.workers.study;

import dev.lossbench.workers.compare.Holm;
import dev.lossbench.workers.compare.MeasureKind;
import dev.lossbench.workers.format.Figures;
import dev.lossbench.workers.study.Preregistration.Standing;
import dev.lossbench.workers.study.SeedStatistics.Paired;
import dev.lossbench.workers.study.StudyInput.StudyDataset;
import dev.lossbench.workers.study.StudyResult.ClaimVerdict;
import dev.lossbench.workers.study.StudyResult.DatasetVerdict;
import dev.lossbench.workers.study.StudyResult.Outcome;
import dev.lossbench.workers.study.StudyResult.Secondary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The verdict rules, one place. Every paired test is the comparison engine's (exact sign-flip with ties, through
 * {@link StudyRules#test}); every outcome is the engine's {@link dev.lossbench.workers.compare.Outcome#decide} on
 * Holm-adjusted p-values: better / worse / equivalent / undecided, read as SUPPORTED (better) / NOT SUPPORTED (worse,
 * or equivalent within the smallest effect of interest) / INCONCLUSIVE (undecided: "not significant with 5 seeds" is
 * not evidence of no difference).
 *
 * <ul>
 *   <li>Correction: Holm over the family of p-values the verdict could have rested on — each unified candidate (all
 *       of them unless the matrix pre-registered the judged one) × each studied dataset (Claim 1; Claim 2 decides on
 *       one dataset). The TOST p-values are corrected over the same family.
 *   <li>Claim 1 decides on one measure fixed in advance: the area under the validation-rSum curve
 *       ({@link RunFigures#curveArea}), or the one the matrix's {@code study: convergence} names. Epochs to a share of the run's own best and validation rSum at early epochs
 *       are secondary: tested and reported with their own correction, never deciding.
 *       Over datasets: supported when at least one dataset supports it and none is against, not supported when the
 *       reverse, inconclusive otherwise.
 *   <li>Claim 2 on the smallest training set: test rSum U − VLC.
 * </ul>
 */
final class ClaimRules {
  /** Paired differences of a figure between two variants on a dataset (null for a variant with itself or no reference). */
  interface Comparisons {
    Paired paired(StudyDataset d, String variant, String reference, Measure measure);
  }

  /**
   * A measure: the figure, its kind, the direction that favours the unified loss, its name in a matrix's
   * {@code study:} block (whose bound it takes when the block sets the bounds) and its bound otherwise.
   */
  record Measure(String name, Function<RunFigures, Double> figure, MeasureKind kind, boolean higherIsBetter,
      String key, double bound, int decimals) {}

  private final Comparisons pairs;
  private final StudyOptions options;
  private final List<StudyDataset> datasets;
  private final String judged;
  private final List<String> among;
  private final boolean testSelected;
  private final Standing standing;
  private final String convergence;

  /**
   * @param judged the unified variant judged; null when there is none
   * @param among the candidates it was chosen among (only the pre-registered one(s) when the matrix names them):
   *     the size of the correction
   */
  ClaimRules(Comparisons pairs, StudyOptions options, List<StudyDataset> datasets, String judged, List<String> among,
      boolean testSelected, Standing standing, String convergence) {
    this.pairs = pairs;
    this.options = options;
    this.datasets = datasets;
    this.judged = judged;
    this.among = among;
    this.testSelected = testSelected;
    this.standing = standing;
    this.convergence = convergence;
  }

  Measure curveAreaMeasure() {
    return new Measure("area under the validation-rSum curve (mean validation rSum over epochs 1..E)",
        RunFigures::curveArea, MeasureKind.CONTINUOUS, true, Preregistration.CURVE_AREA, options.equivalenceRsum(), 1);
  }

  Measure epochsMeasure() {
    return new Measure("epochs to " + Figures.percent(options.threshold()) + " of the run's own best",
        RunFigures::epochs, MeasureKind.DISCRETE, false, Preregistration.EPOCHS_TO_OWN_BEST,
        options.equivalenceEpochs(), 2);
  }

  /** The convergence measure Claim 1 decides on, fixed in advance: the matrix's, else the curve area. */
  Measure primaryConvergence() {
    return convergence.equals(Preregistration.EPOCHS_TO_OWN_BEST) ? epochsMeasure() : curveAreaMeasure();
  }

  /** Secondary convergence measures: reported with an outcome, never deciding. */
  List<Measure> secondary() {
    List<Measure> measures = new ArrayList<>();
    measures.add(convergence.equals(Preregistration.EPOCHS_TO_OWN_BEST) ? curveAreaMeasure() : epochsMeasure());
    for (int epoch : options.earlyEpochs()) {
      measures.add(new Measure("validation rSum at epoch " + epoch, f -> f.early().get(epoch), MeasureKind.CONTINUOUS,
          true, "rsum", options.equivalenceRsum(), 1));
    }
    return measures;
  }

  Measure testRsum() {
    return new Measure("test rSum", RunFigures::test, MeasureKind.CONTINUOUS, true, "rsum", options.equivalenceRsum(),
        1);
  }

  // ---- claim 1: convergence ----

  ClaimVerdict claim1(String reference, boolean primary) {
    String against = reference == null
        ? null
        : reference + (LossVariant.warmupEpochs(reference) > 0
            ? " (Triplet-HN with warm-up, VSE∞'s recipe)"
            : LossVariant.warmupEpochs(reference) == 0
                ? " (plain Triplet-HN, no warm-up)"
                : "");
    String missing = reference == null
        ? "no Triplet-HN variant (triplet-hn:warmup_epochs=1 or triplet-hn, or name one with --triplet)"
        : missingUnified();
    if (missing != null) {
      return cannotJudge(1, Study.CLAIM_1, against, primary, missing);
    }
    Measure measure = primaryConvergence();
    Family family = family(datasets, c -> reference, measure);
    Map<String, Family> secondaries = new HashMap<>();
    for (Measure m : secondary()) {
      secondaries.put(m.name(), family(datasets, c -> reference, m));
    }
    List<DatasetVerdict> perDataset = new ArrayList<>();
    for (StudyDataset d : datasets) {
      DatasetVerdict v = decide(d, reference, measure, family, true);
      List<Secondary> extra = new ArrayList<>();
      for (Measure m : secondary()) {
        Family f = secondaries.get(m.name());
        Paired p = pairs.paired(d, judged, reference, m);
        String key = key(d, judged);
        extra.add(new Secondary(m.name(), m.kind(), p, f.adjusted(key), finding(p, f, key, m)));
      }
      perDataset.add(new DatasetVerdict(v.dataset(), v.outcome(), v.finding(), v.reason(), v.decisive(), extra));
    }
    long supported = perDataset.stream().filter(v -> v.outcome() == Outcome.SUPPORTED).count();
    long againstIt = perDataset.stream().filter(v -> v.outcome() == Outcome.NOT_SUPPORTED).count();
    Outcome outcome = supported > 0 && againstIt == 0
        ? Outcome.SUPPORTED
        : againstIt > 0 && supported == 0
            ? Outcome.NOT_SUPPORTED
            : Outcome.INCONCLUSIVE;
    String reason = judged + " against " + reference + " on the " + measure.name() + ": " + perDataset.stream()
        .map(v -> v.dataset() + " " + v.outcome().text() + " (" + v.finding().word() + ")")
        .collect(Collectors.joining(", "))
        + (outcome == Outcome.INCONCLUSIVE && supported > 0 ? " (the datasets disagree)" : "")
        + (outcome == Outcome.INCONCLUSIVE && supported == 0 && againstIt == 0 ? " (no evidence either way)" : "")
        + correction(family.size(), datasets.size() + " dataset" + (datasets.size() == 1 ? "" : "s"));
    dev.lossbench.workers.compare.Outcome finding = perDataset.stream()
        .map(DatasetVerdict::finding).distinct().count() == 1
            ? perDataset.get(0).finding()
            : dev.lossbench.workers.compare.Outcome.UNDECIDED;
    return new ClaimVerdict(1, Study.CLAIM_1, against, primary, outcome, finding, standing, reason, family.size(),
        testSelected, perDataset);
  }

  // ---- claim 2: generalisation on the smallest training set ----

  /**
   * @param referenceOf the VLC each candidate is compared with (null: the candidate has none)
   * @param reference the judged variant's VLC
   * @param primary against the best VLC on validation (the headline); else against VLC at τ = 1/γ
   */
  ClaimVerdict claim2(Function<String, String> referenceOf, String reference, boolean primary) {
    String against = reference == null
        ? null
        : reference + (primary
            ? " (VLC, best on validation)"
            : " (VLC at τ = 1/γ of " + judged + ": isolates the margin)");
    String missing = !primary && judged != null && reference == null
        ? "no VLC at the matching temperature τ = 1/γ of " + judged + " (add it to the matrix to isolate the margin)"
        : reference == null || referenceOf == null
            ? "no VLC variant (an 'infonce' variant, or name one with --vlc)"
            : missingUnified();
    if (missing != null) {
      return cannotJudge(2, Study.CLAIM_2, against, primary, missing);
    }
    StudyDataset smallest = smallest(datasets);
    List<DatasetVerdict> perDataset = new ArrayList<>();
    int familySize = 0;
    Measure measure = testRsum();
    List<StudyDataset> ordered = new ArrayList<>(List.of(smallest));
    datasets.stream().filter(d -> d != smallest).forEach(ordered::add);
    for (StudyDataset d : ordered) {
      Family family = family(List.of(d), referenceOf, measure);
      familySize = d == smallest ? family.size() : familySize;
      perDataset.add(decide(d, reference, measure, family, d == smallest));
    }
    DatasetVerdict decisive = perDataset.get(0);
    String which = smallest.trainImages() != null
        ? smallest.name() + ", the smallest training set (" + smallest.trainImages() + " images)"
        : datasets.size() == 1 ? smallest.name() : smallest.name() + " (training-set sizes unknown: the first dataset)";
    return new ClaimVerdict(2, Study.CLAIM_2, against, primary, decisive.outcome(), decisive.finding(), standing,
        "judged on " + which + ": " + decisive.reason() + correction(familySize, "that dataset"), familySize,
        testSelected, perDataset);
  }

  /** The dataset with the fewest training images (the first when sizes are unknown). */
  static StudyDataset smallest(List<StudyDataset> datasets) {
    List<StudyDataset> bySize = new ArrayList<>(datasets);
    bySize.sort(Comparator.comparing(StudyDataset::trainImages, Comparator.nullsLast(Comparator.naturalOrder())));
    return bySize.get(0);
  }

  /** The claim's word for the engine's outcome: better SUPPORTED; worse or equivalent NOT SUPPORTED. */
  static Outcome claimOutcome(dev.lossbench.workers.compare.Outcome finding) {
    return switch (finding) {
      case BETTER -> Outcome.SUPPORTED;
      case WORSE, EQUIVALENT -> Outcome.NOT_SUPPORTED;
      case UNDECIDED -> Outcome.INCONCLUSIVE;
    };
  }

  // the judged variant's outcome on one dataset, from its Holm-adjusted p and TOST p in the family
  private DatasetVerdict decide(StudyDataset d, String reference, Measure m, Family family, boolean decisive) {
    Paired diff = pairs.paired(d, judged, reference, m);
    if (diff == null || diff.n() == 0) {
      return new DatasetVerdict(d.name(), Outcome.INCONCLUSIVE, dev.lossbench.workers.compare.Outcome.UNDECIDED,
          "no paired runs of " + judged + " and " + reference, decisive, List.of());
    }
    String key = key(d, judged);
    Double adjusted = family.adjusted(key);
    Double tost = family.adjustedEquivalence(key);
    dev.lossbench.workers.compare.Outcome finding = finding(diff, family, key, m);
    String numbers = m.name() + " " + judged + " − " + reference + ": "
        + StudyFigures.paired(diff, m.decimals(), options.alpha(), adjusted, family.size());
    String bound = "±" + (diff.bound() == null ? "–" : Figures.fixed(diff.bound(), 2))
        + (m.kind() == MeasureKind.DISCRETE ? " epochs" : " rSum");
    Outcome outcome;
    String why;
    switch (finding) {
      case BETTER -> {
        outcome = Outcome.SUPPORTED;
        why = judged + " is significantly better than " + reference;
      }
      case WORSE -> {
        outcome = Outcome.NOT_SUPPORTED;
        why = judged + " is significantly worse than " + reference;
      }
      case EQUIVALENT -> {
        outcome = Outcome.NOT_SUPPORTED;
        why = "equivalent within " + bound + " (TOST p = " + Figures.p(tost) + " ≤ "
            + Figures.fixed(options.alpha(), 2) + ")";
      }
      default -> {
        outcome = Outcome.INCONCLUSIVE;
        why = diff.n() < 2
            ? "fewer than 2 seeds have both variants (" + diff.n() + ")"
            : "no evidence either way: not significant with " + diff.n() + " paired seeds (the smallest p an exact"
                + " test can give with " + diff.n() + " is " + Figures.p(Math.min(1, 2 / Math.pow(2, diff.n())))
                + "), and not shown equivalent within " + bound + (tost == null
                    ? ""
                    : " (TOST p = "
                        + Figures.p(tost) + ")");
      }
    }
    return new DatasetVerdict(d.name(), outcome, finding, why + "; " + numbers, decisive, List.of());
  }

  private dev.lossbench.workers.compare.Outcome finding(Paired p, Family family, String key, Measure m) {
    if (p == null || p.n() < 2) {
      return dev.lossbench.workers.compare.Outcome.UNDECIDED;
    }
    return dev.lossbench.workers.compare.Outcome.decide(p.meanDifference(), family.adjusted(key),
        family.adjustedEquivalence(key), options.alpha(), m.higherIsBetter());
  }

  // one p per dataset × candidate, against the candidate's reference
  private Family family(List<StudyDataset> on, Function<String, String> referenceOf, Measure m) {
    Family family = new Family();
    for (StudyDataset d : on) {
      for (String c : among) {
        String ref = referenceOf.apply(c);
        if (ref != null) {
          family.add(key(d, c), pairs.paired(d, c, ref, m));
        }
      }
    }
    family.adjust();
    return family;
  }

  private static String key(StudyDataset d, String variant) {
    return d.id() + "\t" + variant;
  }

  private ClaimVerdict cannotJudge(int claim, String statement, String against, boolean primary, String missing) {
    return new ClaimVerdict(claim, statement, against, primary, Outcome.INCONCLUSIVE,
        dev.lossbench.workers.compare.Outcome.UNDECIDED, standing, "cannot judge: " + missing, 0, testSelected,
        List.of());
  }

  private String missingUnified() {
    return judged == null
        ? "no unified variant with a margin m > 0 (with m = 0 the unified loss is VLC at τ = 1/γ)"
        : null;
  }

  private String correction(int size, String what) {
    if (size <= 1) {
      return "";
    }
    return " [Holm over " + size + " p-values: " + (among.size() > 1
        ? among.size() + " unified candidates ("
            + (standing == Standing.PRE_REGISTERED
                ? "pre-registered"
                : "chosen on "
                    + (testSelected ? "a validation split that is the test split" : "validation"))
            + ") × "
        : "") + what + "]";
  }

  /** A family of p-values (and of TOST p-values) under one Holm correction, by key. */
  static final class Family {
    private final List<String> keys = new ArrayList<>();
    private final List<Double> raw = new ArrayList<>();
    private final List<Double> rawEquivalence = new ArrayList<>();
    private final Map<String, Double> adjusted = new HashMap<>();
    private final Map<String, Double> adjustedEquivalence = new HashMap<>();

    void add(String key, Paired p) {
      keys.add(key);
      raw.add(p == null ? null : p.p());
      rawEquivalence.add(p == null ? null : p.pEquivalence());
    }

    void adjust() {
      Double[] a = Holm.adjust(raw.toArray(Double[]::new));
      Double[] e = Holm.adjust(rawEquivalence.toArray(Double[]::new));
      for (int i = 0; i < a.length; i++) {
        adjusted.put(keys.get(i), a[i]);
        adjustedEquivalence.put(keys.get(i), e[i]);
      }
    }

    Double adjusted(String key) {
      return adjusted.get(key);
    }

    Double adjustedEquivalence(String key) {
      return adjustedEquivalence.get(key);
    }

    int size() {
      return (int) raw.stream().filter(p -> p != null).count();
    }
  }
}
