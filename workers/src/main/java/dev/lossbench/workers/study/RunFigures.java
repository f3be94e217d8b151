package dev.lossbench.workers.study;

import dev.lossbench.workers.study.StudyInput.EpochPoint;
import dev.lossbench.workers.study.StudyInput.StudyRun;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the study derives from one run: its best validation rSum, the first epoch (and wall time)
 * reaching {@code threshold} × that best, validation rSum at the early epochs, test rSum, and with
 * protocol {@code gap} its rSum on the first n training and test images.
 */
record RunFigures(Double best, Integer epochsToThreshold, Double secondsToThreshold, Map<Integer, Double> early,
    Double test, Double gapTrain, Double gapTest) {

  static RunFigures of(StudyRun run, StudyOptions options) {
    Double best = run.epochs().stream().map(EpochPoint::validationRsum).filter(v -> v != null)
        .max(Double::compare).orElse(null);
    Integer epoch = null;
    Double seconds = null;
    if (best != null) {
      double target = options.threshold() * best;
      double elapsed = 0;
      for (EpochPoint p : run.epochs()) {
        elapsed += p.seconds();
        if (p.validationRsum() != null && p.validationRsum() >= target) {
          epoch = p.epoch();
          seconds = elapsed;
          break;
        }
      }
    }
    Map<Integer, Double> early = new TreeMap<>();
    for (EpochPoint p : run.epochs()) {
      if (p.validationRsum() != null && options.earlyEpochs().contains(p.epoch())) {
        early.put(p.epoch(), p.validationRsum());
      }
    }
    return new RunFigures(best, epoch, seconds, early, run.testRsum(), run.gapTrainRsum(), run.gapTestRsum());
  }

  /** Training rSum − test rSum on n images each; null without both. */
  Double gap() {
    return gapTrain == null || gapTest == null ? null : gapTrain - gapTest;
  }

  Double epochs() {
    return epochsToThreshold == null ? null : epochsToThreshold.doubleValue();
  }
}
