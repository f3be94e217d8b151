package dev.lossbench.workers.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The best line under a leaderboard group: decided, tied with none / one / several left out, or nothing to say. */
class BestTextTest {
  private static BestSet.Group group(List<String> variants, int rivals) {
    return new BestSet.Group("d", "m", "test", variants, rivals, 0.05 / Math.max(1, rivals - 1));
  }

  @Test
  void eachCaseInWords() {
    assertEquals("  best: a (decided better than each of the other 23, α/23 = 0.0022 per pair)",
        BestText.line(group(List.of("a"), 24)).orElseThrow());
    assertEquals("  tied for best: a, b (none of them decided better than another, α/1 = 0.0500 per pair)",
        BestText.line(group(List.of("a", "b"), 2)).orElseThrow());
    assertEquals("  tied for best: a, b, c, d (none of them decided better than another, α/4 = 0.0125 per pair;"
        + " the other one decided worse than some variant)",
        BestText.line(group(List.of("a", "b", "c", "d"), 5)).orElseThrow());
    assertEquals("  tied for best: a, b (none of them decided better than another, α/23 = 0.0022 per pair; the other"
        + " 22 each decided worse than some variant)", BestText.line(group(List.of("a", "b"), 24)).orElseThrow());
    assertTrue(BestText.line(group(List.of("a"), 1)).isEmpty(), "one variant: nothing decided, nothing said");
  }
}
