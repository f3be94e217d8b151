package dev.lossbench.schema.record;

/**
 * One point of a learning curve (the {@code convergence} view): a variant at one epoch, over the seeds of its
 * running and succeeded runs.
 *
 * @param seeds runs that recorded this epoch
 * @param validatedSeeds of those, the ones validated at this epoch; the val* figures are null when none was
 */
public record ConvergenceRow(
    String benchmarkId,
    String datasetId,
    String model,
    String variant,
    String lossName,
    int epoch,
    int seeds,
    int validatedSeeds,
    Double valRsumMean,
    Double valRsumStd,
    Double valRsumMin,
    Double valRsumMax,
    double trainLossMean) {}
