package dev.lossbench.workers.study;

import java.util.List;

/**
 * What the study compares and how strictly. Null fields take the defaults {@link Study} documents.
 *
 * @param model the model whose runs are studied; null: the benchmark's only model
 * @param triplet the Triplet-HN reference variant's label; null: the Triplet-HN variant with VSE∞'s
 *     warm-up ({@code warmup_epochs} ≥ 1, preferring 1), else plain {@code triplet-hn}
 * @param vlc the VLC reference variant's label; null: the benchmark's {@code infonce} variant (the
 *     best by mean validation rSum when there are several)
 * @param unified the unified variant the verdicts judge; null: the matrix's pre-registered one(s), else the best
 *     unified variant with m &gt; 0 by mean validation rSum. Only a matrix's {@code study:} block waives the
 *     correction for choosing: a variant named here, after the runs exist, is Holm-corrected over the candidates
 * @param datasets dataset names to study; null: the fine-tuning stages when the matrix has any,
 *     else every dataset
 * @param earlyEpochs epochs (from 1) whose validation rSum is compared
 * @param threshold share of a run's best validation rSum that counts as converged
 * @param alpha significance level of the tests (family-wise, after Holm's correction)
 * @param equivalenceRsum smallest rSum difference of interest: "no difference" (NOT SUPPORTED) needs
 *     the TOST equivalence test within ± this bound
 * @param equivalenceEpochs the same for epochs to the threshold
 * @param exploratory the analysis departs from the matrix's pre-registered {@code study:} block (or is run as
 *     exploratory): every verdict says so
 * @param matrixBounds the equivalence bounds are the matrix's {@code study:} block's ({@link Preregistration#bound}),
 *     not {@code equivalenceRsum} / {@code equivalenceEpochs}
 */
public record StudyOptions(String model, String triplet, String vlc, String unified, List<String> datasets,
    List<Integer> earlyEpochs, double threshold, double alpha, double equivalenceRsum, double equivalenceEpochs,
    boolean exploratory, boolean matrixBounds) {

  public static final List<Integer> DEFAULT_EARLY_EPOCHS = List.of(1, 2);
  public static final double DEFAULT_THRESHOLD = 0.9;
  public static final double DEFAULT_ALPHA = 0.05;
  /** rSum points (of 600): below the gains the paper reports, above seed noise of a 5-seed mean. */
  public static final double DEFAULT_EQUIVALENCE_RSUM = 5;
  public static final double DEFAULT_EQUIVALENCE_EPOCHS = 1;

  public StudyOptions {
    datasets = datasets == null ? null : List.copyOf(datasets);
    earlyEpochs = earlyEpochs == null ? DEFAULT_EARLY_EPOCHS : List.copyOf(earlyEpochs);
    if (earlyEpochs.stream().anyMatch(e -> e < 1)) {
      throw new IllegalArgumentException("early epochs count from 1: " + earlyEpochs);
    }
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1]: " + threshold);
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1): " + alpha);
    }
    if (!(equivalenceRsum > 0) || !(equivalenceEpochs > 0)) {
      throw new IllegalArgumentException("equivalence bounds must be positive: rSum " + equivalenceRsum
          + ", epochs " + equivalenceEpochs);
    }
  }

  public StudyOptions(String model, String triplet, String vlc, String unified, List<String> datasets,
      List<Integer> earlyEpochs, double threshold, double alpha, double equivalenceRsum, double equivalenceEpochs) {
    this(model, triplet, vlc, unified, datasets, earlyEpochs, threshold, alpha, equivalenceRsum, equivalenceEpochs,
        false, false);
  }

  public static StudyOptions defaults() {
    return new StudyOptions(null, null, null, null, null, null, DEFAULT_THRESHOLD, DEFAULT_ALPHA,
        DEFAULT_EQUIVALENCE_RSUM, DEFAULT_EQUIVALENCE_EPOCHS);
  }

  public StudyOptions withUnified(String label) {
    return new StudyOptions(model, triplet, vlc, label, datasets, earlyEpochs, threshold, alpha, equivalenceRsum,
        equivalenceEpochs, exploratory, matrixBounds);
  }

  public StudyOptions withEarlyEpochs(List<Integer> epochs) {
    return new StudyOptions(model, triplet, vlc, unified, datasets, epochs, threshold, alpha, equivalenceRsum,
        equivalenceEpochs, exploratory, matrixBounds);
  }

  public StudyOptions withAlpha(double value) {
    return new StudyOptions(model, triplet, vlc, unified, datasets, earlyEpochs, threshold, value, equivalenceRsum,
        equivalenceEpochs, exploratory, matrixBounds);
  }
}
