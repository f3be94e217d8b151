package dev.lossbench.workers.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FiguresTest {
  @Test
  void meanAndStandardDeviationWithOneDecimal() {
    assertEquals("415.0 ± 6.2", Figures.meanStd(415, Math.sqrt(39)));
    assertEquals("400.5 ± 0.7", Figures.meanStd(400.5, Math.sqrt(0.5)));
    assertEquals("415.0", Figures.meanStd(415, null), "one seed: no standard deviation");
  }

  @Test
  void differencesCarryTheirSignButNeverANegativeZero() {
    assertEquals("+23.0", Figures.signed(23));
    assertEquals("\u22124.5", Figures.signed(-4.5));
    assertEquals("0.0", Figures.signed(0.01));
    assertEquals("0.0", Figures.signed(-0.04));
    assertEquals("0.0", Figures.fixed(-0.04, 1));
    assertEquals("-0.1", Figures.fixed(-0.06, 1));
  }

  @Test
  void durationsReadAtTheirScale() {
    assertEquals("42 s", Figures.duration(Duration.ofSeconds(42)));
    assertEquals("3 min 05 s", Figures.duration(Duration.ofSeconds(185)));
    assertEquals("2 h 07 min", Figures.duration(Duration.ofMinutes(127).plusSeconds(59)));
    assertEquals("0 s", Figures.duration(Duration.ofSeconds(-3)), "clock skew between workers");
  }

  @Test
  void timestampsAreUtcToTheSecond() {
    assertEquals("2025-06-02 09:14:05 UTC", Figures.timestamp(Instant.parse("2025-06-02T09:14:05.789Z")));
  }
}
