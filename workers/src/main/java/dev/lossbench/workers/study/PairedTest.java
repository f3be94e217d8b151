package dev.lossbench.workers.study;

import dev.lossbench.workers.compare.MeasureKind;
import dev.lossbench.workers.compare.PairedComparison;
import dev.lossbench.workers.compare.PairedResult;

/**
 * The paired test the study's verdicts rest on. In use it is always {@link #ENGINE}, the comparison engine's
 * sign-flip test; the seam exists so that the calibration can plug broken rules into the same study and show that
 * it catches them.
 */
@FunctionalInterface
interface PairedTest {
  PairedTest ENGINE = PairedComparison::compare;

  /** As {@link PairedComparison#compare}: a − b paired by index. */
  PairedResult compare(double[] a, double[] b, MeasureKind kind, double equivalenceBound, double alpha);
}
