package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.params.SpecException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code study:} block into an {@link AnalysisPlan}, reporting every mistake in it. */
final class StudyReader {
  /** The keys of the {@code study:} block. */
  static final List<String> KEYS = List.of("alpha", "equivalence", "convergence", "unified", "primary");

  private final Problems problems;

  StudyReader(Problems problems) {
    this.problems = problems;
  }

  /**
   * The {@code study:} block (see {@link AnalysisPlan}); keys left out take their defaults. {@code losses} is null
   * when the loss list had mistakes (the unified labels are then not matched).
   */
  AnalysisPlan read(YamlValue value, List<String> losses) {
    AnalysisPlan defaults = AnalysisPlan.defaults();
    if (value.isNull()) {
      return defaults;
    }
    if (!value.isMapping()) {
      problems.at(value, "expected a mapping with some of the keys " + String.join(", ", KEYS) + ", got "
          + value.describe());
      return null;
    }
    int before = problems.count();
    Map<String, YamlValue> keys = value.entries(problems);
    for (Map.Entry<String, YamlValue> e : keys.entrySet()) {
      if (!KEYS.contains(e.getKey())) {
        problems.atKey(e.getValue(), "unknown key '" + e.getKey() + "': expected one of " + String.join(", ", KEYS));
      }
    }
    double alpha = studyAlpha(keys.get("alpha"), defaults.alpha());
    Map<String, AnalysisPlan.EquivalenceBound> equivalence = equivalence(keys.get("equivalence"));
    String convergence = defaults.convergence();
    YamlValue c = keys.get("convergence");
    if (c != null && !c.isNull()) {
      if (!c.isScalar() || !AnalysisPlan.CONVERGENCE_MEASURES.contains(c.text())) {
        problems.at(c,
            "got " + c.describe() + ": expected one of " + String.join(", ", AnalysisPlan.CONVERGENCE_MEASURES));
      } else {
        convergence = c.text();
      }
    }
    List<String> unified = unified(keys.get("unified"), losses);
    List<String> primary = primary(keys.get("primary"), defaults.primary());
    return problems.count() == before ? new AnalysisPlan(alpha, equivalence, convergence, unified, primary) : null;
  }

  private double studyAlpha(YamlValue value, double defaultAlpha) {
    if (value == null || value.isNull()) {
      return defaultAlpha;
    }
    double alpha = value.isScalar() ? number(value.text()) : Double.NaN;
    if (!(alpha > 0 && alpha <= 0.5)) {
      problems.at(value,
          "got " + value.describe() + ": expected the family-wise level, a number in (0, 0.5] such as 0.05");
      return defaultAlpha;
    }
    return alpha;
  }

  private static double number(String text) {
    try {
      return new BigDecimal(text.trim()).doubleValue();
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private Map<String, AnalysisPlan.EquivalenceBound> equivalence(YamlValue value) {
    Map<String, AnalysisPlan.EquivalenceBound> bounds = new LinkedHashMap<>();
    if (value == null || value.isNull()) {
      return bounds;
    }
    if (!value.isMapping()) {
      problems.at(value, "got " + value.describe() + ": expected a mapping of measure to bound (rsum: 5, or rsum: 2%)");
      return bounds;
    }
    for (Map.Entry<String, YamlValue> e : value.entries(problems).entrySet()) {
      if (!AnalysisPlan.measures().contains(e.getKey())) {
        problems.atKey(e.getValue(), "unknown measure '" + e.getKey() + "': expected one of "
            + String.join(", ", AnalysisPlan.measures()));
        continue;
      }
      YamlValue v = e.getValue();
      try {
        if (!v.isScalar()) {
          throw new IllegalArgumentException("got " + v.describe() + ": expected a positive number in the measure's"
              + " units (rsum: 5) or a percentage of the baseline's mean in (0, 100] (rsum: 2%)");
        }
        bounds.put(e.getKey(), AnalysisPlan.EquivalenceBound.parse(v.text()));
      } catch (IllegalArgumentException ex) {
        problems.at(v, ex.getMessage());
      }
    }
    return bounds;
  }

  /** Labels of unified loss variants of the matrix, each named by its label or its spec written any way. */
  private List<String> unified(YamlValue value, List<String> losses) {
    List<String> labels = new ArrayList<>();
    if (value == null || value.isNull()) {
      return labels;
    }
    List<YamlValue> items = value.isSequence() ? value.items() : value.isScalar() ? List.of(value) : null;
    if (items == null) {
      problems.at(value,
          "got " + value.describe() + ": expected a list of unified loss variants of the matrix (labels)");
      return labels;
    }
    if (losses == null) {
      return labels;
    }
    List<LossSpec> unifiedVariants = losses.stream().map(LossSpec::parse)
        .filter(l -> l.name() == LossSpec.Name.UNIFIED).toList();
    String choices = unifiedVariants.isEmpty()
        ? "none: the matrix has no unified variant"
        : String.join(", ", unifiedVariants.stream().map(LossSpec::label).toList());
    for (YamlValue item : items) {
      String wanted = item.isScalar() ? item.text().trim() : null;
      String label = wanted == null
          ? null
          : unifiedVariants.stream()
              .filter(l -> l.label().equals(wanted) || sameSpec(l, wanted)).map(LossSpec::label).findFirst()
              .orElse(null);
      if (label == null) {
        problems.at(item,
            "got " + item.describe() + ": expected a unified loss variant of the matrix (" + choices + ")");
      } else if (labels.contains(label)) {
        problems.at(item, "'" + label + "' is listed twice: expected each variant once");
      } else {
        labels.add(label);
      }
    }
    return labels;
  }

  private static boolean sameSpec(LossSpec variant, String wanted) {
    try {
      return LossSpec.parse(wanted).equals(variant);
    } catch (SpecException e) {
      return false;
    }
  }

  private List<String> primary(YamlValue value, List<String> defaultPrimary) {
    if (value == null || value.isNull()) {
      return defaultPrimary;
    }
    List<YamlValue> items = value.isSequence() ? value.items() : value.isScalar() ? List.of(value) : null;
    String expected = "a list of measures, some of " + String.join(", ", AnalysisPlan.measures());
    if (items == null || items.isEmpty()) {
      problems.at(value, "got " + (items == null ? value.describe() : "an empty list") + ": expected " + expected);
      return defaultPrimary;
    }
    List<String> primary = new ArrayList<>();
    for (YamlValue item : items) {
      if (!item.isScalar() || !AnalysisPlan.measures().contains(item.text())) {
        problems.at(item, "got " + item.describe() + ": expected " + expected);
      } else if (primary.contains(item.text())) {
        problems.at(item, "'" + item.text() + "' is listed twice: expected each measure once");
      } else {
        primary.add(item.text());
      }
    }
    return primary;
  }
}
