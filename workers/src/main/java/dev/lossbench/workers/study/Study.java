package dev.lossbench.workers.study;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.workers.study.SeedStatistics.Paired;
import dev.lossbench.workers.study.SeedStatistics.Summary;
import dev.lossbench.workers.study.StudyInput.EpochPoint;
import dev.lossbench.workers.study.StudyInput.StudyDataset;
import dev.lossbench.workers.study.StudyInput.StudyRun;
import dev.lossbench.workers.study.StudyResult.ClaimVerdict;
import dev.lossbench.workers.study.StudyResult.ConvergenceRow;
import dev.lossbench.workers.study.StudyResult.DatasetVerdict;
import dev.lossbench.workers.study.StudyResult.Early;
import dev.lossbench.workers.study.StudyResult.GeneralisationRow;
import dev.lossbench.workers.study.StudyResult.Outcome;
import dev.lossbench.workers.study.StudyResult.Selection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The study of the paper's two claims on a benchmark's runs (statistics from {@link SeedStatistics}):
 *
 * <ol>
 *   <li><b>Convergence</b> — "the unified loss converges faster than Triplet-HN". Per run: the first
 *       epoch (from 1) whose validation rSum reaches {@code threshold} (0.9) × the run's best
 *       validation rSum, the wall time to it, and the validation rSum at the early epochs (1 and 2).
 *       On each studied dataset, the judged unified variant U against Triplet-HN T, paired over seeds
 *       (two-sided paired t-test at {@code alpha} = 0.05):
 *       <ul>
 *         <li><i>inconclusive</i> with fewer than 2 paired seeds;
 *         <li><i>inconclusive</i> when the measures disagree: U significantly fewer epochs to the
 *             threshold but significantly lower at an early epoch (or the reverse), or significantly
 *             higher at one early epoch and lower at another;
 *         <li><i>supported</i> when U needs significantly fewer epochs to the threshold, or, with no
 *             significant difference in epochs, is significantly higher at an early epoch;
 *         <li><i>not supported</i> when U needs significantly more epochs, or, with no significant
 *             difference in epochs, is significantly lower at an early epoch;
 *         <li>with nothing significant: <i>not supported</i> (no difference) with at least
 *             {@code minSeeds} (5) paired seeds, else <i>inconclusive</i>.
 *       </ul>
 *       Over the studied datasets: <i>supported</i> when at least one dataset supports it and none
 *       goes against it, <i>not supported</i> when at least one goes against it and none supports it,
 *       else <i>inconclusive</i>.
 *   <li><b>Generalisation</b> — "the unified loss generalises better than VLC when fine-tuning on
 *       small data". Test rSum, U − VLC paired over seeds, on the studied dataset with the fewest
 *       training images (the smallest subset): <i>supported</i> when the difference is positive with
 *       p &lt; alpha, <i>not supported</i> when it is negative with p &lt; alpha or not significant
 *       with at least {@code minSeeds} paired seeds, <i>inconclusive</i> otherwise (fewer than 2, or
 *       fewer than {@code minSeeds} paired seeds without significance). The other datasets get the
 *       same rule, as context.
 * </ol>
 *
 * <p>U is the unified variant with the highest mean best validation rSum over its runs on the studied
 * datasets (chosen on validation data, never on test data) unless {@link StudyOptions#unified} names
 * one. A p-value is undefined with fewer than two pairs; when every paired difference is equal, p is
 * 0 (or 1 if they are all zero), see {@link SeedStatistics.Paired}.
 */
public final class Study {
  public static final String CLAIM_1 = "The unified loss converges faster than Triplet-HN.";
  public static final String CLAIM_2 = "The unified loss generalises better than VLC when fine-tuning on small data.";

  private final StudyInput input;
  private final StudyOptions options;
  private final String model;
  private final List<StudyDataset> datasets;
  private final List<StudyRun> runs;
  private final Map<String, RunFigures> figures = new TreeMap<>();

  private Study(StudyInput input, StudyOptions options) {
    this.input = input;
    this.options = options;
    this.model = chooseModel();
    this.datasets = chooseDatasets();
    Set<String> ids = datasets.stream().map(StudyDataset::id).collect(Collectors.toSet());
    this.runs = input.runs().stream().filter(r -> r.model().equals(model) && ids.contains(r.datasetId())).toList();
    runs.forEach(r -> figures.put(r.runId(), RunFigures.of(r, options)));
  }

  /**
   * Studies {@code input} as {@code options} say.
   *
   * @throws StudyException when there is nothing to study (no succeeded runs) or an option names a
   *     model, dataset or variant the benchmark does not have
   */
  public static StudyResult compute(StudyInput input, StudyOptions options) {
    return new Study(input, options).result();
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
            .orElseThrow(() -> new StudyException("no dataset '" + name + "' in " + input.benchmarkName() + "; datasets: "
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
    String triplet = reference(options.triplet(), "--triplet", variants,
        variants.contains(StudyOptions.DEFAULT_TRIPLET) ? StudyOptions.DEFAULT_TRIPLET : null);
    String vlc = reference(options.vlc(), "--vlc", variants, bestOf(lossVariants("infonce"), selection));
    List<String> unified = lossVariants("unified");
    String judged = reference(options.unified(), "--unified", variants, bestOf(unified, selection));
    String judgedBy = options.unified() != null ? "option" : "validation";

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
          early.add(new Early(epoch, summary(d, v, at), versus(d, v, triplet, at)));
        }
        convergence.add(new ConvergenceRow(d.name(), v,
            summary(d, v, f -> f.epochsToThreshold() == null ? null : f.epochsToThreshold().doubleValue()),
            summary(d, v, RunFigures::secondsToThreshold), early,
            versus(d, v, triplet, f -> f.epochsToThreshold() == null ? null : f.epochsToThreshold().doubleValue())));
        generalisation.add(new GeneralisationRow(d.name(), v, summary(d, v, RunFigures::test),
            versus(d, v, vlc, RunFigures::test), versus(d, v, triplet, RunFigures::test)));
      }
    }
    List<String> excluded = input.datasets().stream().filter(d -> !datasets.contains(d)).map(StudyDataset::name).toList();
    StudyResult partial = new StudyResult(input.benchmarkId(), input.benchmarkName(), model, options, datasets, excluded,
        variants, triplet, vlc, unified, judged, judgedBy, List.copyOf(selection.values()), convergence, generalisation,
        List.of());
    return new StudyResult(partial.benchmarkId(), partial.benchmarkName(), model, options, datasets, excluded, variants,
        triplet, vlc, unified, judged, judgedBy, partial.selection(), convergence, generalisation,
        List.of(claim1(partial), claim2(partial)));
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
    return runs.stream().filter(r -> r.datasetId().equals(d.id()) && r.variant().equals(variant)).toList();
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

  private Paired versus(StudyDataset d, String variant, String reference, Function<RunFigures, Double> figure) {
    if (reference == null || reference.equals(variant)) {
      return null;
    }
    return SeedStatistics.paired(bySeed(d, variant, figure), bySeed(d, reference, figure));
  }

  // ---- claim 1: convergence ----

  private ClaimVerdict claim1(StudyResult r) {
    String missing = r.triplet() == null ? "no Triplet-HN variant (a 'triplet-hn' variant, or name one with --triplet)"
        : r.judged() == null ? "no unified variant" : null;
    if (missing != null) {
      return new ClaimVerdict(1, CLAIM_1, Outcome.INCONCLUSIVE, "cannot judge: " + missing, List.of());
    }
    List<DatasetVerdict> perDataset = new ArrayList<>();
    for (StudyDataset d : datasets) {
      perDataset.add(convergenceOn(r, d));
    }
    long supported = perDataset.stream().filter(v -> v.outcome() == Outcome.SUPPORTED).count();
    long against = perDataset.stream().filter(v -> v.outcome() == Outcome.NOT_SUPPORTED).count();
    Outcome outcome = supported > 0 && against == 0 ? Outcome.SUPPORTED
        : against > 0 && supported == 0 ? Outcome.NOT_SUPPORTED
        : Outcome.INCONCLUSIVE;
    String reason = r.judged() + " against " + r.triplet() + ": " + perDataset.stream()
        .map(v -> v.dataset() + " " + v.outcome().text()).collect(Collectors.joining(", "))
        + (outcome == Outcome.INCONCLUSIVE && supported > 0 ? " (the datasets disagree)" : "")
        + (outcome == Outcome.INCONCLUSIVE && supported == 0 && against == 0 ? " (no dataset decides)" : "");
    return new ClaimVerdict(1, CLAIM_1, outcome, reason, perDataset);
  }

  private DatasetVerdict convergenceOn(StudyResult r, StudyDataset d) {
    String u = r.judged();
    double alpha = options.alpha();
    ConvergenceRow row = r.convergence(d.name(), u).orElse(null);
    if (row == null || row.epochsVsTriplet() == null) {
      return new DatasetVerdict(d.name(), Outcome.INCONCLUSIVE, "no runs of " + u + " or " + r.triplet(), true);
    }
    Paired epochs = row.epochsVsTriplet();
    List<String> evidence = new ArrayList<>();
    evidence.add("epochs to " + StudyFigures.percent(options.threshold()) + " of the best validation rSum: "
        + StudyFigures.paired(epochs, 2, alpha));
    boolean higher = false;
    boolean lower = false;
    List<Integer> higherAt = new ArrayList<>();
    List<Integer> lowerAt = new ArrayList<>();
    for (Early e : row.early()) {
      if (e.vsTriplet() == null) {
        continue;
      }
      evidence.add("validation rSum at epoch " + e.epoch() + ": " + StudyFigures.paired(e.vsTriplet(), 1, alpha));
      if (e.vsTriplet().significant(alpha) && e.vsTriplet().meanDifference() > 0) {
        higher = true;
        higherAt.add(e.epoch());
      } else if (e.vsTriplet().significant(alpha) && e.vsTriplet().meanDifference() < 0) {
        lower = true;
        lowerAt.add(e.epoch());
      }
    }
    boolean fewer = epochs.significant(alpha) && epochs.meanDifference() < 0;
    boolean more = epochs.significant(alpha) && epochs.meanDifference() > 0;
    int n = epochs.n();
    Outcome outcome;
    String why;
    if (n < 2) {
      outcome = Outcome.INCONCLUSIVE;
      why = "fewer than 2 seeds have both variants (" + n + ")";
    } else if ((fewer && lower) || (more && higher) || (!fewer && !more && higher && lower)) {
      outcome = Outcome.INCONCLUSIVE;
      why = "the measures disagree";
    } else if (fewer) {
      outcome = Outcome.SUPPORTED;
      why = u + " reaches the threshold in significantly fewer epochs";
    } else if (higher && !more) {
      outcome = Outcome.SUPPORTED;
      why = u + " is significantly ahead at epoch" + join(higherAt) + " and not significantly slower to the threshold";
    } else if (more) {
      outcome = Outcome.NOT_SUPPORTED;
      why = u + " needs significantly more epochs to the threshold";
    } else if (lower) {
      outcome = Outcome.NOT_SUPPORTED;
      why = u + " is significantly behind at epoch" + join(lowerAt) + " and not significantly faster to the threshold";
    } else if (n >= options.minSeeds()) {
      outcome = Outcome.NOT_SUPPORTED;
      why = "no significant difference with " + n + " paired seeds (at least " + options.minSeeds() + ")";
    } else {
      outcome = Outcome.INCONCLUSIVE;
      why = "no significant difference, with only " + n + " paired seeds (fewer than " + options.minSeeds() + ")";
    }
    return new DatasetVerdict(d.name(), outcome, why + "; " + String.join("; ", evidence), true);
  }

  private static String join(List<Integer> epochs) {
    return (epochs.size() == 1 ? " " : "s ") + epochs.stream().map(String::valueOf).collect(Collectors.joining(" and "));
  }

  // ---- claim 2: generalisation on the smallest subset ----

  private ClaimVerdict claim2(StudyResult r) {
    String missing = r.vlc() == null ? "no VLC variant (an 'infonce' variant, or name one with --vlc)"
        : r.judged() == null ? "no unified variant" : null;
    if (missing != null) {
      return new ClaimVerdict(2, CLAIM_2, Outcome.INCONCLUSIVE, "cannot judge: " + missing, List.of());
    }
    List<StudyDataset> bySize = new ArrayList<>(datasets);
    bySize.sort(Comparator.comparing(StudyDataset::trainImages, Comparator.nullsLast(Comparator.naturalOrder())));
    StudyDataset smallest = bySize.get(0);
    List<DatasetVerdict> perDataset = new ArrayList<>();
    for (StudyDataset d : bySize) {
      perDataset.add(generalisationOn(r, d, d == smallest));
    }
    DatasetVerdict decisive = perDataset.get(0);
    String which = smallest.trainImages() != null
        ? smallest.name() + ", the smallest training set (" + smallest.trainImages() + " images)"
        : datasets.size() == 1 ? smallest.name() : smallest.name() + " (training-set sizes unknown: the first dataset)";
    return new ClaimVerdict(2, CLAIM_2, decisive.outcome(), "judged on " + which + ": " + decisive.reason(), perDataset);
  }

  private DatasetVerdict generalisationOn(StudyResult r, StudyDataset d, boolean decisive) {
    String u = r.judged();
    double alpha = options.alpha();
    GeneralisationRow row = r.generalisation(d.name(), u).orElse(null);
    if (row == null || row.vsVlc() == null) {
      return new DatasetVerdict(d.name(), Outcome.INCONCLUSIVE, "no runs of " + u + " or " + r.vlc(), decisive);
    }
    Paired diff = row.vsVlc();
    String numbers = "test rSum " + u + " − " + r.vlc() + ": " + StudyFigures.paired(diff, 1, alpha);
    int n = diff.n();
    Outcome outcome;
    String why;
    if (n < 2) {
      outcome = Outcome.INCONCLUSIVE;
      why = "fewer than 2 seeds have both variants (" + n + ")";
    } else if (diff.significant(alpha) && diff.meanDifference() > 0) {
      outcome = Outcome.SUPPORTED;
      why = u + " is significantly better than " + r.vlc();
    } else if (diff.significant(alpha) && diff.meanDifference() < 0) {
      outcome = Outcome.NOT_SUPPORTED;
      why = u + " is significantly worse than " + r.vlc();
    } else if (n >= options.minSeeds()) {
      outcome = Outcome.NOT_SUPPORTED;
      why = "no significant difference with " + n + " paired seeds (at least " + options.minSeeds() + ")";
    } else {
      outcome = Outcome.INCONCLUSIVE;
      why = "no significant difference, with only " + n + " paired seeds (fewer than " + options.minSeeds() + ")";
    }
    return new DatasetVerdict(d.name(), outcome, why + "; " + numbers, decisive);
  }

  /** What the study derives from one run. */
  private record RunFigures(Double best, Integer epochsToThreshold, Double secondsToThreshold, Map<Integer, Double> early,
      Double test) {

    static RunFigures of(StudyRun run, StudyOptions options) {
      Double best = run.epochs().stream().map(EpochPoint::validationRsum).filter(v -> v != null)
          .max(Double::compare).orElse(null);
      Integer epoch = null;
      Double seconds = null;
      if (best != null) {
        double target = options.threshold() * best;
        double elapsed = 0;
        for (EpochPoint p : run.epochs()) {
          elapsed += p.seconds();
          if (p.validationRsum() != null && p.validationRsum() >= target) {
            epoch = p.epoch();
            seconds = elapsed;
            break;
          }
        }
      }
      Map<Integer, Double> early = new TreeMap<>();
      for (EpochPoint p : run.epochs()) {
        if (p.validationRsum() != null && options.earlyEpochs().contains(p.epoch())) {
          early.put(p.epoch(), p.validationRsum());
        }
      }
      return new RunFigures(best, epoch, seconds, early, run.testRsum());
    }
  }
}
