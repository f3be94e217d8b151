package dev.lossbench.workers.compare;

/**
 * A figure compared between variants, named as in a matrix's {@code study:} block.
 *
 * @param name e.g. {@code rsum}
 * @param kind decides nothing about the test (the sign-flip test is valid for both) but is stored and printed
 * @param higherIsBetter whether a larger value is better (rSum: yes; epochs to a threshold: no)
 */
public record Measure(String name, MeasureKind kind, boolean higherIsBetter) {
  /** Test rSum of the split: the primary measure. */
  public static final Measure RSUM = new Measure("rsum", MeasureKind.CONTINUOUS, true);
  public static final Measure R1_I2T = new Measure("r1_i2t", MeasureKind.CONTINUOUS, true);
  public static final Measure R1_T2I = new Measure("r1_t2i", MeasureKind.CONTINUOUS, true);
}
