package dev.lossbench.schema.record;

/**
 * One row of the {@code variant_runs} view: a loss variant's runs in one benchmark × dataset × model — the seeds it
 * used and, in an adaptive benchmark, where successive halving stopped it.
 *
 * @param runs runs linked to the benchmark for this variant
 * @param seedsSucceeded succeeded seeds: the ones the leaderboard ranks it by (sequential seeds make them differ per
 *     variant)
 * @param runsStopped runs stopped at a rung ({@link RunStatus#STOPPED})
 * @param stoppedEpoch the rung they were stopped at, in epochs trained (the highest when they differ); null when none
 * @param stoppedValRsumMean mean validation rSum at that rung over the stopped runs: the figure the rung ranked; null
 *     when none
 * @param stoppedValRsumStd its sample standard deviation, null with one run
 * @param stoppedByHalving stopped runs and no succeeded one: no leaderboard row, listed below the ranked variants
 */
public record VariantRuns(
    String benchmarkId,
    String datasetId,
    String model,
    String variant,
    String lossName,
    int runs,
    int seedsSucceeded,
    int runsStopped,
    Integer stoppedEpoch,
    Double stoppedValRsumMean,
    Double stoppedValRsumStd,
    boolean stoppedByHalving) {}
