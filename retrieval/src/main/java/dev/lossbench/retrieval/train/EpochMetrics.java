package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.eval.RecallMetrics;

/**
 * One finished epoch: mean training loss, validation Recall@K, and how it went.
 *
 * @param epoch 0-based
 * @param gradNorm mean global gradient norm before clipping (shows the scale change when
 *     triplet-hn's warm-up ends)
 * @param seconds wall time of the epoch's training steps and validation
 */
public record EpochMetrics(int epoch, double trainLoss, RecallMetrics validation, double learningRate,
    double gradNorm, double seconds, double samplesPerSecond) {}
