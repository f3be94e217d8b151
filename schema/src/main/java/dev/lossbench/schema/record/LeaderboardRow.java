package dev.lossbench.schema.record;

/**
 * One row of the {@code leaderboard} view: a variant's test figures over its succeeded seeds. Standard deviations
 * are sample standard deviations, null with a single seed.
 *
 * @param primary whether {@code split} is the dataset's primary split (the one leaderboards rank by)
 * @param bestSeed the seed with the highest rSum (ties: the lowest seed), run {@code bestRunId}
 * @param rank the view's rank (competition rank by mean rSum in the benchmark × dataset × model × split): the one
 *     rank the CLI, the report and Grafana show
 */
public record LeaderboardRow(
    String benchmarkId,
    String benchmarkName,
    String datasetId,
    String model,
    String variant,
    String lossName,
    String split,
    boolean primary,
    int seeds,
    double rsumMean,
    Double rsumStd,
    double i2tR1Mean,
    Double i2tR1Std,
    double t2iR1Mean,
    Double t2iR1Std,
    double i2tR5Mean,
    double i2tR10Mean,
    double t2iR5Mean,
    double t2iR10Mean,
    long bestSeed,
    double bestRsum,
    String bestRunId,
    int rank) {}
