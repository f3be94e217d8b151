package dev.lossbench.workers.format;

import dev.lossbench.schema.record.VariantRuns;

/**
 * How a run or variant that successive halving stopped is written: the same words in {@code status},
 * {@code leaderboard} and the report. A rung is in epochs trained.
 */
public final class StoppedText {
  /** The footnote under a leaderboard that lists stopped variants. */
  public static final String FOOTNOTE = "Stopped by successive halving at a rung: not ranked and not compared with the"
      + " baseline; the validation rSum at the rung (mean ± sample std over the variant's seeds) is what the rung ranked.";

  private StoppedText() {}

  /** {@code stopped at epoch 2 (rung)}: one run. */
  public static String run(int rung) {
    return "stopped " + rung(rung);
  }

  /** {@code at epoch 2 (rung)}: beside a {@code stopped} status badge. */
  public static String rung(int rung) {
    return "at epoch " + rung + " (rung)";
  }

  /** {@code stopped at epoch 2: val rSum 256.0 ± 8.5}: a variant, over its stopped seeds. */
  public static String variant(VariantRuns v) {
    return (v.stoppedEpoch() == null ? "stopped (rung not recorded)" : "stopped at epoch " + v.stoppedEpoch())
        + ": val rSum "
        + (v.stoppedValRsumMean() == null
            ? "not validated"
            : Figures.meanStd(v.stoppedValRsumMean(), v.stoppedValRsumStd()));
  }
}
