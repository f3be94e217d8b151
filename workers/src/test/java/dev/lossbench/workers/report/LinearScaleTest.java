package dev.lossbench.workers.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinearScaleTest {
  private static final double EPS = 1e-9;

  private static List<String> labels(LinearScale scale) {
    return scale.ticks().stream().map(scale::label).toList();
  }

  @Test
  void anRsumRangeGetsRoundTicksAndRunsUpTheAxis() {
    LinearScale y = LinearScale.covering(233, 431, 6, 266, 34);

    assertEquals(List.of("200", "250", "300", "350", "400", "450"), labels(y));
    assertEquals(266, y.map(200), EPS);
    assertEquals(34, y.map(450), EPS);
    assertEquals(150, y.map(325), EPS);
  }

  @Test
  void recallsFromZeroAndSmallLossesGetTheirOwnSteps() {
    assertEquals(List.of("0", "20", "40", "60", "80", "100"), labels(LinearScale.covering(0, 86.4, 6, 0, 1)));
    assertEquals(List.of("0", "1", "2", "3", "4", "5"), labels(LinearScale.covering(0.12, 4.86, 6, 0, 1)));
    assertEquals(List.of("0.1", "0.2", "0.3", "0.4"), labels(LinearScale.covering(0.1, 0.35, 6, 0, 1)));
  }

  @Test
  void aSingleValueGetsRoomAroundIt() {
    LinearScale y = LinearScale.covering(400, 400, 6, 100, 0);

    assertEquals(List.of("380", "390", "400", "410", "420"), labels(y));
    assertEquals(50, y.map(400), EPS);
  }

  @Test
  void epochsTickOnWholeNumbersAndSpanThePlot() {
    LinearScale eight = LinearScale.integers(0, 7, 8, 60, 522);
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7"), labels(eight));
    assertEquals(60, eight.map(0), EPS);
    assertEquals(522, eight.map(7), EPS);

    assertEquals(List.of("0", "10", "20", "30", "40", "50", "60", "70", "80", "90"),
        labels(LinearScale.integers(0, 99, 8, 0, 1)));

    LinearScale one = LinearScale.integers(3, 3, 8, 0, 100);
    assertEquals(List.of("3"), labels(one));
    assertEquals(50, one.map(3), EPS, "a single epoch sits in the middle");
  }

  @Test
  void aDomainThatIsNotFiniteIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> LinearScale.covering(Double.NaN, 1, 6, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> LinearScale.covering(0, Double.POSITIVE_INFINITY, 6, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> LinearScale.integers(3, 2, 8, 0, 1));
  }
}
