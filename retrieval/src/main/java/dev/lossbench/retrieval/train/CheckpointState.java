package dev.lossbench.retrieval.train;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue a run exactly where it stopped, or to use its model.
 *
 * @param run identity of the run (model, loss, training, seed, data): a checkpoint of another run is refused
 * @param epoch the epoch to continue in (0-based)
 * @param stepInEpoch steps of that epoch already taken (0 at an epoch boundary)
 * @param globalStep steps taken over all epochs
 * @param epochLossSum sum of the current epoch's step losses so far (its mean is the epoch's train loss)
 * @param epochGradNormSum sum of the current epoch's gradient norms so far
 * @param epochSeconds training seconds spent in the current epoch so far
 * @param bestEpoch epoch with the best validation rSum so far, or −1
 */
public record CheckpointState(
    RunIdentity run,
    int epoch,
    int stepInEpoch,
    long globalStep,
    double epochLossSum,
    double epochGradNormSum,
    double epochSeconds,
    double bestRsum,
    int bestEpoch,
    List<EpochMetrics> history,
    List<String> vocabulary,
    Map<String, float[]> parameters,
    Map<String, float[]> optimizer,
    long optimizerSteps) {}
