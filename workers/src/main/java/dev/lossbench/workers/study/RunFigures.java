package dev.lossbench.workers.study;

import dev.lossbench.workers.study.StudyInput.EpochPoint;
import dev.lossbench.workers.study.StudyInput.StudyRun;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the study derives from one run: its best validation rSum, the area under its validation-rSum curve (the
 * primary convergence measure), the first epoch (and wall time) reaching {@code threshold} × that best (secondary),
 * validation rSum at the early epochs, test rSum, and with protocol {@code gap} its rSum on the first n training and
 * test images.
 *
 * @param curveArea the mean validation rSum over epochs 1..E (E the run's last epoch): the area under the
 *     validation-rSum curve per epoch, in rSum points (÷ 600 gives the area as a share of the measure's range).
 *     A loss that gets high early scores high; one still rising at the last epoch is credited with what it reached;
 *     one that plateaus early and low scores low. Null when an epoch was not validated
 */
record RunFigures(Double best, Double curveArea, Integer epochsToThreshold, Double secondsToThreshold,
    Map<Integer, Double> early, Double test, Double gapTrain, Double gapTest) {

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
    return new RunFigures(best, curveArea(run), epoch, seconds, early, run.testRsum(), run.gapTrainRsum(),
        run.gapTestRsum());
  }

  private static Double curveArea(StudyRun run) {
    List<EpochPoint> epochs = run.epochs();
    if (epochs.isEmpty() || epochs.stream().anyMatch(p -> p.validationRsum() == null)
        || epochs.get(epochs.size() - 1).epoch() != epochs.size()) {
      return null;
    }
    return epochs.stream().mapToDouble(EpochPoint::validationRsum).average().orElseThrow();
  }

  /** Training rSum − test rSum on n images each; null without both. */
  Double gap() {
    return gapTrain == null || gapTest == null ? null : gapTrain - gapTest;
  }

  Double epochs() {
    return epochsToThreshold == null ? null : epochsToThreshold.doubleValue();
  }
}
