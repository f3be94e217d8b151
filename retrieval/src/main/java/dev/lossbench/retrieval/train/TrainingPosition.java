package dev.lossbench.retrieval.train;

import java.util.ArrayList;
import java.util.List;

/** Where the loop is, and the running sums a checkpoint must carry to resume mid-epoch. */
final class TrainingPosition {
  int epoch;
  int step;
  long globalStep;
  double epochLossSum;
  double epochGradNormSum;
  double epochSeconds;
  double bestRsum = Double.NEGATIVE_INFINITY;
  int bestEpoch = -1;
  final List<EpochMetrics> history = new ArrayList<>();

  void restore(CheckpointState s) {
    epoch = s.epoch();
    step = s.stepInEpoch();
    globalStep = s.globalStep();
    epochLossSum = s.epochLossSum();
    epochGradNormSum = s.epochGradNormSum();
    epochSeconds = s.epochSeconds();
    bestRsum = s.bestRsum();
    bestEpoch = s.bestEpoch();
    history.addAll(s.history());
  }

  void record(TrainingStep.Result r, double seconds) {
    step++;
    epochLossSum += r.lossSum();
    epochGradNormSum += r.gradNormSum();
    epochSeconds += seconds;
    globalStep++;
  }

  double samplesPerSecond(int batch) {
    return epochSeconds > 0 ? step * (double) batch / epochSeconds : 0;
  }

  /** Records a finished epoch's metrics; whether its validation R-sum is the best so far. */
  boolean finishEpoch(EpochMetrics m) {
    history.add(m);
    boolean improved = m.validation().rsum() > bestRsum;
    if (improved) {
      bestRsum = m.validation().rsum();
      bestEpoch = epoch;
    }
    return improved;
  }

  void nextEpoch() {
    epoch++;
    step = 0;
    epochLossSum = 0;
    epochGradNormSum = 0;
    epochSeconds = 0;
  }

  /**
   * The checkpoint of this position, with the model's and optimiser's current state. Its arrays are the live tensors
   * ({@link TensorArrays}), written from their native memory: no copy of the model on the heap. Read when it is
   * written, so it is written at once (the saves are synchronous: nothing trains between this call and the writes).
   */
  CheckpointState state(RunIdentity run, ModelAssembly a) {
    return new CheckpointState(run, epoch, step, globalStep, epochLossSum, epochGradNormSum,
        epochSeconds, bestRsum, bestEpoch, List.copyOf(history), a.vocabulary.words(),
        TensorArrays.of(a.model.parameterArrays()), a.optimizer.stateOnDemand(), a.optimizer.stepCount());
  }
}
