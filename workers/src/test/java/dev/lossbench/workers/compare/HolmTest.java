package dev.lossbench.workers.compare;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class HolmTest {
  @Test
  void stepDownMonotoneCappedAndNaNLeftOut() {
    double[] adjusted = Holm.adjust(new double[]{0.04, 0.01, Double.NaN, 0.03, 0.5});
    // m = 4: 0.01·4 = 0.04, 0.03·3 = 0.09, 0.04·2 = 0.08 → 0.09 (monotone), 0.5·1 = 0.5
    assertArrayEquals(new double[]{0.09, 0.04, Double.NaN, 0.09, 0.5}, adjusted, 1e-12);
    assertEquals(1.0, Holm.adjust(new double[]{0.6, 0.7})[0]);
    assertArrayEquals(new Double[]{null, 0.02}, Holm.adjust(new Double[]{null, 0.02}));
  }
}
