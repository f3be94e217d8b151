package dev.lossbench.workers.study;

import dev.lossbench.workers.compare.MeasureKind;
import dev.lossbench.workers.study.SeedStatistics.Paired;
import dev.lossbench.workers.study.SeedStatistics.Summary;
import java.util.List;
import java.util.Optional;

/**
 * The study of one model of a benchmark: convergence and generalisation per dataset and loss
 * variant, paired differences to the references, and a verdict per claim of the paper. Plain data,
 * written as text by {@code lossbench study}, as JSON by {@code --format json}, and as a section of
 * the HTML report.
 *
 * @param datasets the studied datasets, in matrix order
 * @param excludedDatasets names of the benchmark's other datasets (e.g. a pretraining stage)
 * @param variants every loss variant with succeeded runs of the model on the studied datasets, sorted
 * @param triplet the Triplet-HN reference variant (VSE∞'s recipe, with a warm-up, when the benchmark has
 *     it); null when the benchmark has none
 * @param plainTriplet plain Triplet-HN (no warm-up) when the benchmark has it beside {@code triplet};
 *     Claim 1 is judged against it too; else null
 * @param vlc the VLC reference variant; null when the benchmark has none
 * @param unifiedVariants the variants of the unified loss
 * @param candidates the unified variants that may be judged: those with m &gt; 0 (m = 0 is VLC)
 * @param judged the variant the verdicts judge as "the unified loss"; null when there is none
 * @param judgedBy how it was chosen: {@code pre-registered} (the matrix's {@code study:} block: no correction
 *     for choosing), {@code option} ({@code --unified}, after the runs exist: Holm-corrected over the candidates) or
 *     {@code validation} (highest mean best validation rSum among the candidates, Holm-corrected over them)
 * @param standing whether the analysis was pre-registered; every verdict carries it
 * @param claim2ByGamma Claim 2 per unified variant against each VLC, at τ = 1/γ and away from it
 * @param testSelected a studied dataset validates on its test split, so a choice "on validation"
 *     was made on test data: the verdicts are marked
 * @param selection per variant, the figure the choices by validation use
 * @param gap train-set recall beside test recall (protocol {@code gap}) per studied dataset for the judged
 *     unified variant, the VLC references and Triplet-HN; a figure, not a verdict
 */
public record StudyResult(String benchmarkId, String benchmarkName, String model, StudyOptions options,
    Preregistration preregistration, Preregistration.Standing standing,
    List<StudyInput.StudyDataset> datasets, List<String> excludedDatasets, List<String> variants, String triplet,
    String plainTriplet, String vlc, List<String> unifiedVariants, List<String> candidates, String judged,
    String judgedBy, boolean testSelected, List<Selection> selection, List<ConvergenceRow> convergence,
    List<GeneralisationRow> generalisation, List<ClaimVerdict> verdicts, List<GapRow> gap,
    List<GammaRow> claim2ByGamma) {

  public StudyResult {
    datasets = List.copyOf(datasets);
    excludedDatasets = List.copyOf(excludedDatasets);
    variants = List.copyOf(variants);
    unifiedVariants = List.copyOf(unifiedVariants);
    candidates = List.copyOf(candidates);
    selection = List.copyOf(selection);
    convergence = List.copyOf(convergence);
    generalisation = List.copyOf(generalisation);
    verdicts = List.copyOf(verdicts);
    gap = List.copyOf(gap);
    claim2ByGamma = List.copyOf(claim2ByGamma);
  }

  /**
   * Claim 2 for one unified variant against one VLC variant on the decisive (smallest) dataset: whether it holds at
   * γ matched to VLC's temperature (τ = 1/γ, where the unified loss with m = 0 is that VLC) and away from it.
   * Holm-corrected over every row of the table (it is a scan, not the pre-registered verdict).
   *
   * @param matched τ = 1/γ (same reduction and directions)
   * @param tauTimesGamma τ·γ: 1 when matched
   * @param pAdjusted Holm-adjusted over the rows
   */
  public record GammaRow(String dataset, String unified, double gamma, double margin, String vlc, double tau,
      boolean matched, double tauTimesGamma, Paired testRsumDelta, Double pAdjusted, Outcome outcome,
      dev.lossbench.workers.compare.Outcome finding) {}

  /**
   * A secondary measure on one dataset: tested with the engine and Holm-corrected over its own family
   * (candidates × datasets), reported with its outcome, never deciding the claim.
   */
  public record Secondary(String measure, MeasureKind kind, Paired difference,
      Double pAdjusted, dev.lossbench.workers.compare.Outcome finding) {}

  /**
   * @param meanBestValidationRsum mean, over the variant's runs on the studied datasets, of each run's
   *     best validation rSum; null when no run was validated
   */
  public record Selection(String variant, int runs, Double meanBestValidationRsum) {}

  /**
   * Convergence of one variant on one dataset.
   *
   * @param curveArea per seed, the mean validation rSum over epochs 1..E (the primary convergence measure)
   * @param epochsToThreshold per seed, the first epoch (from 1) whose validation rSum reaches
   *     {@code threshold} × that run's best validation rSum
   * @param secondsToThreshold per seed, the wall time of the epochs up to and including that one
   * @param epochsVsTriplet this variant − Triplet-HN, paired over seeds; null for Triplet-HN itself or
   *     without one
   */
  public record ConvergenceRow(String dataset, String variant, Summary curveArea, Summary epochsToThreshold,
      Summary secondsToThreshold, List<Early> early, Paired curveAreaVsTriplet, Paired epochsVsTriplet) {
    public ConvergenceRow {
      early = List.copyOf(early);
    }
  }

  /** Validation rSum at an early epoch (from 1), and this variant − Triplet-HN there. */
  public record Early(int epoch, Summary rsum, Paired vsTriplet) {}

  /**
   * Test rSum of one variant on one dataset (its primary split), and its differences to the
   * references, paired over seeds; a difference is null for the reference itself or without one.
   *
   * @param matchedVlc for a unified variant, VLC at τ = 1/γ when the benchmark has it (the comparison
   *     that isolates the margin); else null
   */
  public record GeneralisationRow(String dataset, String variant, Summary testRsum, Paired vsVlc, Paired vsTriplet,
      String matchedVlc, Paired vsMatchedVlc) {}

  /**
   * The generalisation gap of one variant on one dataset: test rSum on the primary split, and rSum on the
   * first n training images and on the first n test images (n = min(training, test images), protocol
   * {@code gap}; equal galleries, since Recall@K depends on the gallery size), their difference per seed
   * (train − test), and that gap minus VLC's, paired over seeds (uncorrected: a figure, not a verdict).
   * The summaries are empty ({@code n = 0}) when the runs have no {@code gap} results.
   *
   * @param role what the variant is in the study: {@code unified (judged)}, {@code VLC}, {@code VLC at τ = 1/γ},
   *     {@code Triplet-HN}, {@code plain Triplet-HN}
   * @param gapVsVlc this variant's gap − VLC's gap; null for VLC itself or without VLC
   */
  public record GapRow(String dataset, String variant, String role, Summary testRsum, Summary trainRsumAtN,
      Summary testRsumAtN, Summary gap, Paired gapVsVlc) {}

  /** What the study says of a dataset whose runs have no train-set recall. */
  public static final String NO_GAP = "no train-set recall recorded (add protocol gap to the dataset)";

  /** Whether any run of the dataset has train-set recall (protocol {@code gap}). */
  public boolean gapRecorded(String dataset) {
    return gap.stream().anyMatch(g -> g.dataset().equals(dataset) && g.gap().n() > 0);
  }

  /**
   * SUPPORTED: significant in the claim's direction after the correction; NOT_SUPPORTED: significant
   * the other way, or shown equivalent within the smallest effect of interest (TOST); INCONCLUSIVE:
   * no evidence either way (a non-significant difference is not evidence of no difference).
   */
  public enum Outcome {
    SUPPORTED("supported"), NOT_SUPPORTED("not supported"), INCONCLUSIVE("inconclusive");

    private final String text;

    Outcome(String text) {
      this.text = text;
    }

    /** {@code supported}, {@code not supported}, {@code inconclusive}. */
    public String text() {
      return text;
    }
  }

  /**
   * A claim's verdict on this data against one reference. A claim may have several (Claim 1 against
   * Triplet-HN with and without warm-up; Claim 2 against the best VLC and VLC at τ = 1/γ); the
   * {@code primary} one is the claim's headline.
   *
   * @param against the reference variant, with what it is ({@code triplet-hn:warmup_epochs=1 (VSE∞ recipe)})
   * @param finding the engine's outcome behind it (better, worse, equivalent, undecided)
   * @param standing pre-registered (the matrix's {@code study:} block), not pre-registered, or exploratory
   * @param finding the engine's outcome behind it (better, worse, equivalent, undecided)
   * @param standing pre-registered (the matrix's {@code study:} block), not pre-registered, or exploratory
   * @param family how many p-values Holm's correction was over (1: none)
   * @param testSelected the unified variant was chosen on a validation split that is the test split
   * @param reason in plain language, with the numbers behind it
   * @param datasets the verdict on each studied dataset
   */
  public record ClaimVerdict(int claim, String statement, String against, boolean primary, Outcome outcome,
      dev.lossbench.workers.compare.Outcome finding, Preregistration.Standing standing, String reason, int family,
      boolean testSelected, List<DatasetVerdict> datasets) {
    public ClaimVerdict {
      datasets = List.copyOf(datasets);
    }
  }

  /**
   * A claim on one dataset; {@code decisive} marks the datasets the overall verdict rests on.
   *
   * @param finding the engine's outcome of the judged variant against the reference (better, worse, equivalent,
   *     undecided) behind {@code outcome}
   * @param secondary Claim 1's secondary measures on the dataset (empty for Claim 2)
   */
  public record DatasetVerdict(String dataset, Outcome outcome, dev.lossbench.workers.compare.Outcome finding,
      String reason, boolean decisive, List<Secondary> secondary) {
    public DatasetVerdict {
      secondary = List.copyOf(secondary);
    }
  }

  public Optional<ConvergenceRow> convergence(String dataset, String variant) {
    return convergence.stream().filter(r -> r.dataset().equals(dataset) && r.variant().equals(variant)).findFirst();
  }

  public Optional<GeneralisationRow> generalisation(String dataset, String variant) {
    return generalisation.stream().filter(r -> r.dataset().equals(dataset) && r.variant().equals(variant)).findFirst();
  }

  /** The claim's headline verdict. */
  public ClaimVerdict verdict(int claim) {
    return verdicts.stream().filter(v -> v.claim() == claim && v.primary()).findFirst().orElseThrow();
  }

  /** Every verdict of the claim, the headline first. */
  public List<ClaimVerdict> verdicts(int claim) {
    return verdicts.stream().filter(v -> v.claim() == claim).toList();
  }
}
