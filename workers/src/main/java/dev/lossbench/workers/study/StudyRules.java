package dev.lossbench.workers.study;

/**
 * The two rules a study's error rate rests on: the paired test, and whether choosing the judged unified variant
 * among several candidates on the same seeds is paid for with Holm's correction. Always {@link #SOUND} in use;
 * the calibration swaps in broken ones to show that it fails them.
 */
record StudyRules(PairedTest test, boolean candidateCorrection) {
  static final StudyRules SOUND = new StudyRules(PairedTest.ENGINE, true);
}
