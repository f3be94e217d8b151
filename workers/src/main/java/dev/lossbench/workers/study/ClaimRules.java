package dev.lossbench.workers.study;

import dev.lossbench.workers.study.SeedStatistics.Paired;
import dev.lossbench.workers.study.StudyInput.StudyDataset;
import dev.lossbench.workers.study.StudyResult.ClaimVerdict;
import dev.lossbench.workers.study.StudyResult.DatasetVerdict;
import dev.lossbench.workers.study.StudyResult.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The verdict rules, one place. A verdict is SUPPORTED only when a test says so after correcting
 * for every choice that could flatter it; NOT SUPPORTED only when a test says the other way or the
 * difference is shown to lie within the smallest effect of interest (TOST); otherwise INCONCLUSIVE —
 * no evidence either way, because "not significant with 5 seeds" is not evidence of no difference.
 *
 * <ul>
 *   <li>Tests: two-sided paired t-test; when the differences do not vary, the exact sign-flip test
 *       (see {@link SeedStatistics.Paired#p}). Fewer than 2 paired seeds: inconclusive.
 *   <li>Correction: Holm over the family of p-values the verdict could have used — each unified
 *       candidate (all of them when the judged one was chosen on validation, only it when named
 *       with {@code --unified}) × each measure (Claim 1: epochs to the threshold and validation rSum
 *       at each early epoch) × each studied dataset (Claim 1; Claim 2 decides on one dataset).
 *   <li>Claim 1 per dataset: supported when a measure favours U significantly and none goes against
 *       it; not supported when one goes against it and none favours it, or when every measure is
 *       equivalent within the bounds; inconclusive otherwise (including measures that disagree).
 *       Over datasets: supported when at least one dataset supports it and none is against, not
 *       supported when the reverse, else inconclusive.
 *   <li>Claim 2 on the smallest training set: test rSum U − VLC, supported when positive and
 *       significant, not supported when negative and significant or equivalent within the bound.
 * </ul>
 */
final class ClaimRules {
  /** Paired differences of a figure between two variants on a dataset (null for a variant with itself or no reference). */
  interface Comparisons {
    Paired paired(StudyDataset d, String variant, String reference, Function<RunFigures, Double> figure);
  }

  /** A measure of a claim: the figure, the direction that favours the unified loss and its equivalence bound. */
  private record Measure(String name, Function<RunFigures, Double> figure, boolean lowerIsBetter, double bound,
      int decimals, String better, String worse) {}

  private final Comparisons pairs;
  private final StudyOptions options;
  private final List<StudyDataset> datasets;
  private final String judged;
  private final List<String> among;
  private final boolean testSelected;

  /**
   * @param judged the unified variant judged; null when there is none
   * @param among the candidates it was chosen among (only {@code judged} when pre-registered): the
   *     size of the correction
   */
  ClaimRules(Comparisons pairs, StudyOptions options, List<StudyDataset> datasets, String judged, List<String> among,
      boolean testSelected) {
    this.pairs = pairs;
    this.options = options;
    this.datasets = datasets;
    this.judged = judged;
    this.among = among;
    this.testSelected = testSelected;
  }

  // ---- claim 1: convergence ----

  ClaimVerdict claim1(String reference, boolean primary) {
    String against = reference == null ? null : reference + (LossVariant.warmupEpochs(reference) > 0
        ? " (Triplet-HN with warm-up, VSE∞'s recipe)" : LossVariant.warmupEpochs(reference) == 0
        ? " (plain Triplet-HN, no warm-up)" : "");
    String missing = reference == null
        ? "no Triplet-HN variant (triplet-hn:warmup_epochs=1 or triplet-hn, or name one with --triplet)"
        : missingUnified();
    if (missing != null) {
      return new ClaimVerdict(1, Study.CLAIM_1, against, primary, Outcome.INCONCLUSIVE, "cannot judge: " + missing, 0,
          testSelected, List.of());
    }
    List<Measure> measures = new ArrayList<>();
    String threshold = StudyFigures.percent(options.threshold());
    measures.add(new Measure("epochs to " + threshold + " of the best validation rSum", RunFigures::epochs, true,
        options.equivalenceEpochs(), 2, "fewer epochs to " + threshold, "more epochs to " + threshold));
    for (int epoch : options.earlyEpochs()) {
      measures.add(new Measure("validation rSum at epoch " + epoch, f -> f.early().get(epoch), false,
          options.equivalenceRsum(), 1, "ahead at epoch " + epoch, "behind at epoch " + epoch));
    }
    Family family = new Family();
    for (StudyDataset d : datasets) {
      for (String c : among) {
        for (Measure m : measures) {
          family.add(d.name() + "\t" + c + "\t" + m.name(), pairs.paired(d, c, reference, m.figure()));
        }
      }
    }
    family.adjust();
    List<DatasetVerdict> perDataset = new ArrayList<>();
    for (StudyDataset d : datasets) {
      perDataset.add(convergenceOn(d, reference, measures, family));
    }
    long supported = perDataset.stream().filter(v -> v.outcome() == Outcome.SUPPORTED).count();
    long againstIt = perDataset.stream().filter(v -> v.outcome() == Outcome.NOT_SUPPORTED).count();
    Outcome outcome = supported > 0 && againstIt == 0 ? Outcome.SUPPORTED
        : againstIt > 0 && supported == 0 ? Outcome.NOT_SUPPORTED
        : Outcome.INCONCLUSIVE;
    String reason = judged + " against " + reference + ": " + perDataset.stream()
        .map(v -> v.dataset() + " " + v.outcome().text()).collect(Collectors.joining(", "))
        + (outcome == Outcome.INCONCLUSIVE && supported > 0 ? " (the datasets disagree)" : "")
        + (outcome == Outcome.INCONCLUSIVE && supported == 0 && againstIt == 0 ? " (no evidence either way)" : "")
        + correction(family.size(), measures.size() + " measures × " + datasets.size() + " dataset"
            + (datasets.size() == 1 ? "" : "s"));
    return new ClaimVerdict(1, Study.CLAIM_1, against, primary, outcome, reason, family.size(), testSelected, perDataset);
  }

  private DatasetVerdict convergenceOn(StudyDataset d, String reference, List<Measure> measures, Family family) {
    double alpha = options.alpha();
    Paired first = pairs.paired(d, judged, reference, measures.get(0).figure());
    if (first == null || first.n() == 0) {
      return new DatasetVerdict(d.name(), Outcome.INCONCLUSIVE, "no paired runs of " + judged + " and " + reference, true);
    }
    List<String> evidence = new ArrayList<>();
    List<String> better = new ArrayList<>();
    List<String> worse = new ArrayList<>();
    boolean allEquivalent = true;
    int n = 0;
    for (Measure m : measures) {
      Paired p = pairs.paired(d, judged, reference, m.figure());
      Double adjusted = family.adjusted(d.name() + "\t" + judged + "\t" + m.name());
      n = Math.max(n, p.n());
      evidence.add(m.name() + ": " + StudyFigures.paired(p, m.decimals(), alpha, adjusted, family.size()));
      boolean significant = adjusted != null && adjusted < alpha;
      if (significant && (p.meanDifference() < 0) == m.lowerIsBetter() && p.meanDifference() != 0) {
        better.add(m.better());
      } else if (significant && p.meanDifference() != 0) {
        worse.add(m.worse());
      }
      Double tost = p.equivalenceP(m.bound());
      allEquivalent &= tost != null && tost < alpha;
    }
    Outcome outcome;
    String why;
    if (n < 2) {
      outcome = Outcome.INCONCLUSIVE;
      why = "fewer than 2 seeds have both variants (" + n + ")";
    } else if (!better.isEmpty() && !worse.isEmpty()) {
      outcome = Outcome.INCONCLUSIVE;
      why = "the measures disagree: " + judged + " is significantly " + String.join(" and ", better) + " but "
          + String.join(" and ", worse);
    } else if (!better.isEmpty()) {
      outcome = Outcome.SUPPORTED;
      why = judged + " is significantly " + String.join(" and ", better);
    } else if (!worse.isEmpty()) {
      outcome = Outcome.NOT_SUPPORTED;
      why = judged + " is significantly " + String.join(" and ", worse);
    } else if (allEquivalent) {
      outcome = Outcome.NOT_SUPPORTED;
      why = "equivalent: every measure within ±" + StudyFigures.fixed(options.equivalenceEpochs(), 1) + " epochs / ±"
          + StudyFigures.fixed(options.equivalenceRsum(), 1) + " rSum (TOST at " + StudyFigures.fixed(alpha, 2) + ")";
    } else {
      outcome = Outcome.INCONCLUSIVE;
      why = "no evidence either way: no significant difference with " + n + " paired seeds, and not shown"
          + " equivalent within ±" + StudyFigures.fixed(options.equivalenceEpochs(), 1) + " epochs / ±"
          + StudyFigures.fixed(options.equivalenceRsum(), 1) + " rSum";
    }
    return new DatasetVerdict(d.name(), outcome, why + "; " + String.join("; ", evidence), true);
  }

  // ---- claim 2: generalisation on the smallest training set ----

  /**
   * @param referenceOf the VLC each candidate is compared with (null: the candidate has none)
   * @param reference the judged variant's VLC
   * @param primary against the best VLC on validation (the headline); else against VLC at τ = 1/γ
   */
  ClaimVerdict claim2(Function<String, String> referenceOf, String reference, boolean primary) {
    String against = reference == null ? null : reference + (primary ? " (VLC, best on validation)"
        : " (VLC at τ = 1/γ of " + judged + ": isolates the margin)");
    String missing = !primary && judged != null && reference == null
        ? "no VLC at the matching temperature τ = 1/γ of " + judged + " (add it to the matrix to isolate the margin)"
        : reference == null || referenceOf == null ? "no VLC variant (an 'infonce' variant, or name one with --vlc)"
        : missingUnified();
    if (missing != null) {
      return new ClaimVerdict(2, Study.CLAIM_2, against, primary, Outcome.INCONCLUSIVE, "cannot judge: " + missing, 0,
          testSelected, List.of());
    }
    List<StudyDataset> bySize = new ArrayList<>(datasets);
    bySize.sort(Comparator.comparing(StudyDataset::trainImages, Comparator.nullsLast(Comparator.naturalOrder())));
    StudyDataset smallest = bySize.get(0);
    List<DatasetVerdict> perDataset = new ArrayList<>();
    int familySize = 0;
    for (StudyDataset d : bySize) {
      Family family = new Family();
      for (String c : among) {
        String ref = referenceOf.apply(c);
        if (ref != null) {
          family.add(c, pairs.paired(d, c, ref, RunFigures::test));
        }
      }
      family.adjust();
      familySize = d == smallest ? family.size() : familySize;
      perDataset.add(generalisationOn(d, reference, family, d == smallest));
    }
    DatasetVerdict decisive = perDataset.get(0);
    String which = smallest.trainImages() != null
        ? smallest.name() + ", the smallest training set (" + smallest.trainImages() + " images)"
        : datasets.size() == 1 ? smallest.name() : smallest.name() + " (training-set sizes unknown: the first dataset)";
    return new ClaimVerdict(2, Study.CLAIM_2, against, primary, decisive.outcome(),
        "judged on " + which + ": " + decisive.reason() + correction(familySize, "on that dataset"), familySize,
        testSelected, perDataset);
  }

  private DatasetVerdict generalisationOn(StudyDataset d, String reference, Family family, boolean decisive) {
    double alpha = options.alpha();
    Paired diff = pairs.paired(d, judged, reference, RunFigures::test);
    if (diff == null || diff.n() == 0) {
      return new DatasetVerdict(d.name(), Outcome.INCONCLUSIVE, "no paired runs of " + judged + " and " + reference,
          decisive);
    }
    Double adjusted = family.adjusted(judged);
    String numbers = "test rSum " + judged + " − " + reference + ": "
        + StudyFigures.paired(diff, 1, alpha, adjusted, family.size());
    boolean significant = adjusted != null && adjusted < alpha && diff.meanDifference() != 0;
    Double tost = diff.equivalenceP(options.equivalenceRsum());
    Outcome outcome;
    String why;
    if (diff.n() < 2) {
      outcome = Outcome.INCONCLUSIVE;
      why = "fewer than 2 seeds have both variants (" + diff.n() + ")";
    } else if (significant && diff.meanDifference() > 0) {
      outcome = Outcome.SUPPORTED;
      why = judged + " is significantly better than " + reference;
    } else if (significant) {
      outcome = Outcome.NOT_SUPPORTED;
      why = judged + " is significantly worse than " + reference;
    } else if (tost != null && tost < alpha) {
      outcome = Outcome.NOT_SUPPORTED;
      why = "equivalent within ±" + StudyFigures.fixed(options.equivalenceRsum(), 1) + " rSum (TOST p = "
          + StudyFigures.p(tost) + " < " + StudyFigures.fixed(alpha, 2) + ")";
    } else {
      outcome = Outcome.INCONCLUSIVE;
      why = "no evidence either way: no significant difference with " + diff.n() + " paired seeds, and not shown"
          + " equivalent within ±" + StudyFigures.fixed(options.equivalenceRsum(), 1) + " rSum"
          + (tost == null ? "" : " (TOST p = " + StudyFigures.p(tost) + ")");
    }
    return new DatasetVerdict(d.name(), outcome, why + "; " + numbers, decisive);
  }

  private String missingUnified() {
    return judged == null ? "no unified variant with a margin m > 0 (with m = 0 the unified loss is VLC at τ = 1/γ)"
        : null;
  }

  private String correction(int size, String what) {
    if (size <= 1) {
      return "";
    }
    return " [Holm over " + size + " p-values: " + (among.size() > 1 ? among.size() + " unified candidates (chosen on "
        + (testSelected ? "a validation split that is the test split" : "validation") + ") × " : "") + what + "]";
  }

  /** A family of p-values under one Holm correction, by key. */
  private static final class Family {
    private final List<String> keys = new ArrayList<>();
    private final List<Double> raw = new ArrayList<>();
    private final Map<String, Double> adjusted = new HashMap<>();

    void add(String key, Paired p) {
      keys.add(key);
      raw.add(p == null ? null : p.p());
    }

    void adjust() {
      Double[] a = SeedStatistics.holm(raw.toArray(Double[]::new));
      for (int i = 0; i < a.length; i++) {
        adjusted.put(keys.get(i), a[i]);
      }
    }

    Double adjusted(String key) {
      return adjusted.get(key);
    }

    int size() {
      return (int) raw.stream().filter(p -> p != null).count();
    }
  }
}
