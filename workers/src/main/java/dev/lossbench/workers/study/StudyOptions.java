package dev.lossbench.workers.study;

import java.util.List;

/**
 * What the study compares and how strictly. Null fields take the defaults {@link Study} documents.
 *
 * @param model the model whose runs are studied; null: the benchmark's only model
 * @param triplet the Triplet-HN reference variant's label; null: {@code triplet-hn}
 * @param vlc the VLC reference variant's label; null: the benchmark's {@code infonce} variant (the
 *     best by mean validation rSum when there are several)
 * @param unified the unified variant the verdicts judge; null: the best unified variant by mean
 *     validation rSum
 * @param datasets dataset names to study; null: the fine-tuning stages when the matrix has any,
 *     else every dataset
 * @param earlyEpochs epochs (from 1) whose validation rSum is compared
 * @param threshold share of a run's best validation rSum that counts as converged
 * @param alpha significance level of the paired tests
 * @param minSeeds paired seeds from which "no significant difference" counts against a claim
 *     rather than being inconclusive
 */
public record StudyOptions(String model, String triplet, String vlc, String unified, List<String> datasets,
    List<Integer> earlyEpochs, double threshold, double alpha, int minSeeds) {

  public static final String DEFAULT_TRIPLET = "triplet-hn";
  public static final List<Integer> DEFAULT_EARLY_EPOCHS = List.of(1, 2);
  public static final double DEFAULT_THRESHOLD = 0.9;
  public static final double DEFAULT_ALPHA = 0.05;
  public static final int DEFAULT_MIN_SEEDS = 5;

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
    if (minSeeds < 2) {
      throw new IllegalArgumentException("min seeds must be at least 2: " + minSeeds);
    }
  }

  public static StudyOptions defaults() {
    return new StudyOptions(null, null, null, null, null, null, DEFAULT_THRESHOLD, DEFAULT_ALPHA, DEFAULT_MIN_SEEDS);
  }
}
