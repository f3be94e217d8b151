package dev.lossbench.workers.study;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.workers.compare.Holm;
import dev.lossbench.workers.compare.MeasureKind;
import dev.lossbench.workers.compare.Outcome;
import dev.lossbench.workers.study.Preregistration.Standing;
import dev.lossbench.workers.study.SeedStatistics.Paired;
import dev.lossbench.workers.study.SeedStatistics.Summary;
import dev.lossbench.workers.study.StudyInput.StudyDataset;
import dev.lossbench.workers.study.StudyInput.StudyRun;
import dev.lossbench.workers.study.StudyResult.ConvergenceRow;
import dev.lossbench.workers.study.StudyResult.Early;
import dev.lossbench.workers.study.StudyResult.GammaRow;
import dev.lossbench.workers.study.StudyResult.GeneralisationRow;
import dev.lossbench.workers.study.StudyResult.Selection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The study of the paper's two claims on a benchmark's runs: what is compared (model, datasets,
 * references, the unified variant judged), the per-variant figures and paired differences, and the
 * verdicts, whose rules are in {@link ClaimRules}. Statistics come from {@link SeedStatistics}.
 *
 * <p>Choices, each made so that a verdict cannot be flattered by it:
 *
 * <ul>
 *   <li>The unified variant judged has a margin m &gt; 0 (m = 0 is VLC at τ = 1/γ, the identity the
 *       paper builds on, not a different loss). It is the one the matrix's {@code study:} block pre-registered
 *       (no correction for choosing; with several, the best on validation among them, corrected over them),
 *       else {@link StudyOptions#unified} or the candidate with the highest mean best validation rSum — and then
 *       every p-value of its verdicts is Holm-corrected over all candidates, since a choice made after the runs
 *       exist may rest on them (winner's curse).
 *   <li>Triplet-HN: VSE∞'s recipe (a warm-up epoch) is the reference, plain Triplet-HN a second one
 *       when the benchmark has both; VLC: the best {@code infonce} variant on validation, and VLC at
 *       τ = 1/γ of each unified variant when present (isolates the margin).
 *   <li>A dataset whose validation split is its test split marks the verdicts test-selected.
 * </ul>
 *
 * <p>{@link #compute} takes a {@link StudyInput} built in memory as well as one read from the store.
 */
public final class Study implements ClaimRules.Comparisons {
  public static final String CLAIM_1 = "The unified loss converges faster than Triplet-HN.";
  public static final String CLAIM_2 = "The unified loss generalises better than VLC when fine-tuning on small data.";

  private final StudyInput input;
  private final StudyOptions options;
  private final StudyRules rules;
  private final String model;
  private final List<StudyDataset> datasets;
  private final List<StudyRun> runs;
  private final Map<String, RunFigures> figures = new TreeMap<>();
  // (dataset id, variant) → runs, so that the many paired comparisons of the verdicts stay cheap
  private final Map<String, List<StudyRun>> byCell = new TreeMap<>();

  private Study(StudyInput input, StudyOptions options, StudyRules rules) {
    this.input = input;
    this.options = options;
    this.rules = rules;
    this.model = chooseModel();
    this.datasets = chooseDatasets();
    Set<String> ids = datasets.stream().map(StudyDataset::id).collect(Collectors.toSet());
    this.runs = input.runs().stream().filter(r -> r.model().equals(model) && ids.contains(r.datasetId())).toList();
    runs.forEach(r -> figures.put(r.runId(), RunFigures.of(r, options)));
    runs.forEach(r -> byCell.computeIfAbsent(r.datasetId() + "\t" + r.variant(), k -> new ArrayList<>()).add(r));
  }

  /**
   * Studies {@code input} as {@code options} say.
   *
   * @throws StudyException when there is nothing to study (no succeeded runs) or an option names a
   *     model, dataset or variant the benchmark does not have
   */
  public static StudyResult compute(StudyInput input, StudyOptions options) {
    return compute(input, options, StudyRules.SOUND);
  }

  /** As {@link #compute(StudyInput, StudyOptions)} under other rules: the calibration's seam for broken ones. */
  static StudyResult compute(StudyInput input, StudyOptions options, StudyRules rules) {
    return new Study(input, options, rules).result();
  }

  /** The models with succeeded runs, in the order runs list them. */
  public static List<String> models(StudyInput input) {
    return List.copyOf(new LinkedHashSet<>(input.runs().stream().map(StudyRun::model).toList()));
  }

  /** A study cannot be made as asked; its message is one line for the user. */
  public static final class StudyException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public StudyException(String message) {
      super(message);
    }
  }

  private String chooseModel() {
    List<String> models = models(input);
    if (models.isEmpty()) {
      throw new StudyException("benchmark " + input.benchmarkName() + " (" + input.benchmarkId()
          + ") has no succeeded runs yet: nothing to study");
    }
    if (options.model() != null) {
      if (!models.contains(options.model())) {
        throw new StudyException("model '" + options.model() + "' has no succeeded runs in " + input.benchmarkName()
            + "; models: " + String.join(", ", models));
      }
      return options.model();
    }
    if (models.size() > 1) {
      throw new StudyException("benchmark " + input.benchmarkName() + " has " + models.size() + " models ("
          + String.join(", ", models) + "): choose one with --model");
    }
    return models.get(0);
  }

  private List<StudyDataset> chooseDatasets() {
    List<StudyDataset> chosen;
    if (options.datasets() != null) {
      chosen = new ArrayList<>();
      for (String name : options.datasets()) {
        chosen.add(input.datasets().stream().filter(d -> d.name().equals(name)).findFirst()
            .orElseThrow(
                () -> new StudyException("no dataset '" + name + "' in " + input.benchmarkName() + "; datasets: "
                    + input.datasets().stream().map(StudyDataset::name).collect(Collectors.joining(", ")))));
      }
    } else {
      List<StudyDataset> stages = input.datasets().stream().filter(d -> d.initFrom() != null).toList();
      chosen = stages.isEmpty() ? input.datasets() : stages;
    }
    Set<String> withRuns = input.runs().stream().filter(r -> r.model().equals(model)).map(StudyRun::datasetId)
        .collect(Collectors.toSet());
    List<StudyDataset> studied = chosen.stream().filter(d -> withRuns.contains(d.id())).toList();
    if (studied.isEmpty()) {
      throw new StudyException("benchmark " + input.benchmarkName() + " has no succeeded runs of " + model + " on "
          + chosen.stream().map(StudyDataset::name).collect(Collectors.joining(", ")) + ": nothing to study");
    }
    return studied;
  }

  private StudyResult result() {
    List<String> variants = runs.stream().map(StudyRun::variant).distinct().sorted().toList();
    Map<String, Selection> selection = new LinkedHashMap<>();
    for (String v : variants) {
      List<Double> best = runs.stream().filter(r -> r.variant().equals(v)).map(r -> figures.get(r.runId()).best())
          .filter(b -> b != null).toList();
      selection.put(v, new Selection(v, (int) runs.stream().filter(r -> r.variant().equals(v)).count(),
          best.isEmpty() ? null : best.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
    }
    List<String> triplets = variants.stream().filter(LossVariant::isTripletHn).toList();
    String triplet = reference(options.triplet(), "--triplet", variants, defaultTriplet(triplets));
    String plain = triplets.stream().filter(v -> LossVariant.warmupEpochs(v) == 0)
        .min(Comparator.comparing((String v) -> !v.equals("triplet-hn")).thenComparing(Comparator.naturalOrder()))
        .filter(v -> !v.equals(triplet)).orElse(null);
    List<String> vlcs = lossVariants("infonce");
    String vlc = reference(options.vlc(), "--vlc", variants, bestOf(vlcs, selection));
    List<String> unified = lossVariants("unified");
    List<String> candidates = unified.stream().filter(LossVariant::isUnifiedWithMargin).toList();
    Preregistration pre = input.preregistration();
    Standing standing = options.exploratory()
        ? Standing.EXPLORATORY
        : pre == null ? Standing.NOT_PRE_REGISTERED : Standing.PRE_REGISTERED;
    // the variants named in advance: by the matrix (pre-registered) or by --unified (after the runs exist)
    List<String> named = options.unified() != null
        ? List.of(options.unified())
        : pre != null ? pre.unified() : List.of();
    for (String u : named) {
      String flag = options.unified() != null ? "--unified" : "the matrix's study: unified";
      reference(u, flag, variants, null);
      if (!LossVariant.isUnifiedWithMargin(u)) {
        throw new StudyException(flag + " " + u + ": not a unified variant with a margin m > 0 (with m = 0 the"
            + " unified loss is VLC at tau = 1/gamma)");
      }
    }
    String judged = bestOf(named.isEmpty() ? candidates : named, selection);
    // only the matrix waives the correction for choosing among the candidates: a name given after the runs exist
    // may have been chosen on them
    boolean registered = standing == Standing.PRE_REGISTERED && !named.isEmpty();
    List<String> among = judged == null
        ? List.of()
        : !rules.candidateCorrection()
            ? List.of(judged)
            : registered ? named : candidates;
    String judgedBy = registered ? "pre-registered" : options.unified() != null ? "option" : "validation";
    boolean testSelected = datasets.stream().anyMatch(StudyDataset::validationIsTest)
        || runs.stream().anyMatch(StudyRun::validationIsTest);
    Map<String, String> matched = new TreeMap<>();
    for (String u : unified) {
      vlcs.stream().filter(c -> LossVariant.matchesTemperature(u, c)).findFirst().ifPresent(c -> matched.put(u, c));
    }

    List<ConvergenceRow> convergence = new ArrayList<>();
    List<GeneralisationRow> generalisation = new ArrayList<>();
    for (StudyDataset d : datasets) {
      for (String v : variants) {
        if (runsOf(d, v).isEmpty()) {
          continue;
        }
        List<Early> early = new ArrayList<>();
        for (int epoch : options.earlyEpochs()) {
          Function<RunFigures, Double> at = f -> f.early().get(epoch);
          early.add(new Early(epoch, summary(d, v, at), rsum(d, v, triplet, at, "rsum")));
        }
        convergence.add(new ConvergenceRow(d.name(), v, summary(d, v, RunFigures::curveArea),
            summary(d, v, RunFigures::epochs), summary(d, v, RunFigures::secondsToThreshold), early,
            rsum(d, v, triplet, RunFigures::curveArea, Preregistration.CURVE_AREA),
            paired(d, v, triplet, new ClaimRules.Measure("epochs", RunFigures::epochs, MeasureKind.DISCRETE, false,
                Preregistration.EPOCHS_TO_OWN_BEST, options.equivalenceEpochs(), 2))));
        String match = matched.get(v);
        generalisation.add(new GeneralisationRow(d.name(), v, summary(d, v, RunFigures::test),
            rsum(d, v, vlc, RunFigures::test, "rsum"), rsum(d, v, triplet, RunFigures::test, "rsum"), match,
            rsum(d, v, match, RunFigures::test, "rsum")));
      }
    }
    List<StudyResult.GapRow> gap = new ArrayList<>();
    Map<String, String> roles = new LinkedHashMap<>();
    if (judged != null) {
      roles.put(judged, "unified (judged)");
    }
    if (vlc != null) {
      roles.putIfAbsent(vlc, "VLC");
    }
    if (judged != null && matched.get(judged) != null) {
      roles.putIfAbsent(matched.get(judged), "VLC at τ = 1/γ");
    }
    if (triplet != null) {
      roles.putIfAbsent(triplet, "Triplet-HN");
    }
    if (plain != null) {
      roles.putIfAbsent(plain, "plain Triplet-HN");
    }
    for (StudyDataset d : datasets) {
      roles.forEach((v, role) -> {
        if (!runsOf(d, v).isEmpty()) {
          gap.add(new StudyResult.GapRow(d.name(), v, role, summary(d, v, RunFigures::test),
              summary(d, v, RunFigures::gapTrain), summary(d, v, RunFigures::gapTest), summary(d, v, RunFigures::gap),
              rsum(d, v, vlc, RunFigures::gap, "rsum")));
        }
      });
    }
    List<String> excluded = input.datasets().stream().filter(d -> !datasets.contains(d)).map(StudyDataset::name)
        .toList();
    String primary = pre == null ? Preregistration.CURVE_AREA : pre.plan().convergence();
    if (!primary.equals(Preregistration.CURVE_AREA) && !primary.equals(Preregistration.EPOCHS_TO_OWN_BEST)) {
      throw new StudyException("the matrix's study: convergence " + primary + " is not a measure the study"
          + " computes: expected " + Preregistration.CURVE_AREA + " or " + Preregistration.EPOCHS_TO_OWN_BEST);
    }
    ClaimRules claims = new ClaimRules(this, options, datasets, judged, among, testSelected, standing, primary);
    List<StudyResult.ClaimVerdict> verdicts = new ArrayList<>();
    verdicts.add(claims.claim1(triplet, true));
    if (plain != null) {
      verdicts.add(claims.claim1(plain, false));
    }
    verdicts.add(claims.claim2(vlc == null ? null : c -> vlc, vlc, true));
    verdicts.add(claims.claim2(matched::get, judged == null ? null : matched.get(judged), false));
    return new StudyResult(input.benchmarkId(), input.benchmarkName(), model, options, pre, standing, datasets,
        excluded, variants, triplet, plain, vlc, unified, candidates, judged, judgedBy, testSelected,
        List.copyOf(selection.values()), convergence, generalisation, verdicts, gap,
        byGamma(candidates, vlcs, claims, standing));
  }

  // VSE∞ trains Triplet-HN with a warm-up epoch (sum over negatives first); plain hardest-negative
  // mining from the start is the weaker baseline, so the warm-up variant is the default reference
  private static String defaultTriplet(List<String> triplets) {
    return triplets.stream().filter(v -> LossVariant.warmupEpochs(v) > 0)
        .min(Comparator.comparingInt((String v) -> Math.abs(LossVariant.warmupEpochs(v) - 1))
            .thenComparing(Comparator.naturalOrder()))
        .orElse(triplets.contains("triplet-hn") ? "triplet-hn" : triplets.isEmpty() ? null : triplets.get(0));
  }

  private String reference(String option, String flag, List<String> variants, String fallback) {
    if (option == null) {
      return fallback;
    }
    if (!variants.contains(option)) {
      throw new StudyException(flag + " " + option + ": no such loss variant with succeeded runs of " + model
          + " on the studied datasets; variants: " + String.join(", ", variants));
    }
    return option;
  }

  private List<String> lossVariants(String lossName) {
    return runs.stream().filter(r -> r.lossName().equals(lossName)).map(StudyRun::variant).distinct().sorted().toList();
  }

  // the highest mean best validation rSum; ties to the first label
  private static String bestOf(List<String> candidates, Map<String, Selection> selection) {
    return candidates.stream()
        .filter(v -> selection.get(v).meanBestValidationRsum() != null)
        .max(Comparator.comparingDouble((String v) -> selection.get(v).meanBestValidationRsum())
            .thenComparing(Comparator.reverseOrder()))
        .orElse(candidates.isEmpty() ? null : candidates.get(0));
  }

  private List<StudyRun> runsOf(StudyDataset d, String variant) {
    return byCell.getOrDefault(d.id() + "\t" + variant, List.of());
  }

  private Map<Long, Double> bySeed(StudyDataset d, String variant, Function<RunFigures, Double> figure) {
    Map<Long, Double> values = new TreeMap<>();
    for (StudyRun r : runsOf(d, variant)) {
      Double value = figure.apply(figures.get(r.runId()));
      if (value != null) {
        values.put(r.seed(), value);
      }
    }
    return values;
  }

  private Summary summary(StudyDataset d, String variant, Function<RunFigures, Double> figure) {
    return SeedStatistics.summarize(bySeed(d, variant, figure).values());
  }

  @Override
  public Paired paired(StudyDataset d, String variant, String reference, ClaimRules.Measure m) {
    if (reference == null || reference.equals(variant)) {
      return null;
    }
    Map<Long, Double> ref = bySeed(d, reference, m.figure());
    return SeedStatistics.paired(bySeed(d, variant, m.figure()), ref, m.kind(), bound(m, ref), options.alpha(),
        rules.test());
  }

  // the matrix's bound (declared, or 1 % of the reference's mean), else the options' absolute one
  private double bound(ClaimRules.Measure m, Map<Long, Double> reference) {
    if (!options.matrixBounds() || input.preregistration() == null) {
      return m.bound();
    }
    Double mean = reference.isEmpty()
        ? null
        : reference.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    return input.preregistration().bound(m.key(), mean);
  }

  private Paired rsum(StudyDataset d, String variant, String reference, Function<RunFigures, Double> figure,
      String key) {
    return paired(d, variant, reference, new ClaimRules.Measure(key, figure, MeasureKind.CONTINUOUS, true, key,
        options.equivalenceRsum(), 1));
  }

  /**
   * Claim 2 per γ on the decisive dataset: every unified candidate against every VLC with a fixed temperature,
   * matched (τ = 1/γ) or not, Holm-corrected over the rows.
   */
  private List<GammaRow> byGamma(List<String> candidates, List<String> vlcs, ClaimRules claims, Standing standing) {
    StudyDataset d = ClaimRules.smallest(datasets);
    ClaimRules.Measure m = claims.testRsum();
    List<String[]> pairsOf = new ArrayList<>();
    List<Paired> diffs = new ArrayList<>();
    for (String u : candidates) {
      for (String c : vlcs) {
        Optional<Double> tau = LossVariant.temperature(c);
        Paired p = paired(d, u, c, m);
        if (tau.isPresent() && p != null && p.n() > 0) {
          pairsOf.add(new String[]{u, c});
          diffs.add(p);
        }
      }
    }
    Double[] adjusted = Holm.adjust(diffs.stream().map(Paired::p).toArray(Double[]::new));
    Double[] equivalence = Holm.adjust(diffs.stream().map(Paired::pEquivalence).toArray(Double[]::new));
    List<GammaRow> rows = new ArrayList<>();
    for (int i = 0; i < diffs.size(); i++) {
      String u = pairsOf.get(i)[0];
      String c = pairsOf.get(i)[1];
      Paired p = diffs.get(i);
      double gamma = LossVariant.gamma(u);
      double tau = LossVariant.temperature(c).orElseThrow();
      Outcome finding = p.n() < 2
          ? Outcome.UNDECIDED
          : Outcome.decide(p.meanDifference(), adjusted[i], equivalence[i],
              options.alpha(), true);
      rows.add(new GammaRow(d.name(), u, gamma, LossVariant.margin(u), c, tau, LossVariant.matchesTemperature(u, c),
          tau * gamma, p, adjusted[i], ClaimRules.claimOutcome(finding), finding));
    }
    return rows;
  }
}
