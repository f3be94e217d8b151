package dev.lossbench.schema.record;

/**
 * One succeeded run's test figures on one split: what the comparison engine pairs by seed.
 *
 * @param variant the loss variant label
 */
public record SeedFigures(String datasetId, String model, String split, String variant, long seed, double rsum,
    double i2tR1, double t2iR1) {}
