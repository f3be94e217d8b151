package dev.lossbench.retrieval.train;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished training: every epoch's metrics, the best epoch by validation rSum, and where the
 * last and best checkpoints are.
 */
public record TrainingResult(List<EpochMetrics> history, int bestEpoch, double bestRsum, Path lastCheckpoint,
    Path bestCheckpoint) {}
