package dev.lossbench.deploy.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrafanaSqlInterpolationTest {
  private final GrafanaSqlInterpolation interpolation = new GrafanaSqlInterpolation(
      Map.of("benchmark", new TemplateVariable("benchmark", "query", "SELECT 1", false, false),
          "variant", new TemplateVariable("variant", "query", "SELECT 1", true, true)),
      Map.of("benchmark", List.of("it's-b1"), "variant", List.of("triplet-hn", "unified:gamma=50")));

  @Test
  void sqlstringQuotesEveryValueAndDoublesQuotes() {
    assertEquals("WHERE b = 'it''s-b1' AND v IN ('triplet-hn','unified:gamma=50')",
        interpolation.interpolate("WHERE b = ${benchmark:sqlstring} AND v IN (${variant:sqlstring})"));
  }

  @Test
  void theDefaultFormatInsertsASingleValueAsItIsAndQuotesAMultiValueList() {
    assertEquals("'it's-b1' / 'triplet-hn','unified:gamma=50' / it's-b1",
        interpolation.interpolate("'$benchmark' / ${variant} / [[benchmark]]"));
  }

  @Test
  void macrosUnknownVariablesAndFormatsAreRefusedNotPassedThrough() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> interpolation.interpolate("WHERE $__timeFilter(started_at)")).getMessage().contains("$__timeFilter"));
    assertThrows(IllegalArgumentException.class, () -> interpolation.interpolate("WHERE d = $dataset"));
    assertThrows(IllegalArgumentException.class, () -> interpolation.interpolate("WHERE b = ${benchmark:json}"));
  }
}
