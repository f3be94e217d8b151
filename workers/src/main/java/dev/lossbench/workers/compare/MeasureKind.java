package dev.lossbench.workers.compare;

/**
 * What values a measure takes. Both kinds are decided by the same exact sign-flip test (valid for ties and
 * few-valued measures); the kind is carried so that outputs and the study can say what was compared.
 */
public enum MeasureKind {
  /** Real-valued figures such as test rSum or R@1. */
  CONTINUOUS,
  /** Integer or few-valued figures such as epochs to a threshold: many exact ties between seeds. */
  DISCRETE
}
