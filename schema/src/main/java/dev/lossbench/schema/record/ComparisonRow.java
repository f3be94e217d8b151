package dev.lossbench.schema.record;

import java.time.OffsetDateTime;

/**
 * One row of the {@code comparison} table / {@code comparisons} view: a loss variant against the benchmark's baseline
 * on one dataset × model × split × measure (see V8__comparison.sql for each column). Undefined figures are null:
 * a null interval end is unbounded.
 *
 * @param primary whether the split is the dataset's primary split (filled when read from the view)
 * @param rank the variant's leaderboard rank (read from the view; null when written, or without a succeeded run)
 * @param computedAt when the engine wrote it (null when not yet stored)
 */
public record ComparisonRow(
    String benchmarkId,
    String datasetId,
    String model,
    String split,
    boolean primary,
    String measure,
    String variant,
    String baseline,
    Integer rank,
    String measureKind,
    boolean higherIsBetter,
    int n,
    Double baselineMean,
    Double variantMean,
    Double meanDelta,
    Double ciLow,
    Double ciHigh,
    Double pAGreater,
    Double pAGreaterLow,
    Double pAGreaterHigh,
    Double p,
    Double pT,
    Double pHolm,
    Double pEquivalence,
    Double pEquivalenceHolm,
    Double bound,
    double alpha,
    String outcome,
    String test,
    OffsetDateTime computedAt) {}
