package dev.lossbench.schema.record;

/**
 * A variant's mean rSum against the benchmark's baseline (the {@code loss_delta} view). The baseline fields and
 * {@code rsumDelta} are null when no single baseline variant could be identified for this dataset, model and split.
 */
public record LossDeltaRow(
    String benchmarkId,
    String datasetId,
    String model,
    String split,
    boolean primary,
    String variant,
    String lossName,
    int seeds,
    double rsumMean,
    String baselineVariant,
    Integer baselineSeeds,
    Double baselineRsumMean,
    Double rsumDelta) {}
