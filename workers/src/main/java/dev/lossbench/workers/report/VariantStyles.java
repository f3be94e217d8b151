package dev.lossbench.workers.report;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The colour (and, past the palette, a dash pattern) of each loss variant, given once for the whole
 * report so that a variant looks the same in every chart and legend.
 */
final class VariantStyles {
  /** Tableau 10: distinguishable, and readable on white as lines and as bars. */
  private static final List<String> PALETTE = List.of(
      "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
      "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac");
  private static final List<String> DASHES = List.of("", "6 3", "2 3", "8 3 2 3");

  record Style(String colour, String dash) {}

  private final Map<String, Style> styles = new HashMap<>();

  /** Styles for {@code variants}, in the order given (callers pass a sorted list). */
  VariantStyles(List<String> variants) {
    for (int i = 0; i < variants.size(); i++) {
      styles.put(variants.get(i), new Style(PALETTE.get(i % PALETTE.size()),
          DASHES.get(i / PALETTE.size() % DASHES.size())));
    }
  }

  Style of(String variant) {
    Style style = styles.get(variant);
    if (style == null) {
      throw new IllegalArgumentException("no style for variant " + variant + "; known: " + styles.keySet());
    }
    return style;
  }
}
