package dev.lossbench.workflows.matrix;

import java.util.List;
import java.util.Map;

/** Reads the {@code adaptive:} block (its {@code early_stopping}), reporting every mistake in it. */
final class AdaptiveReader {
  /** The keys of the {@code adaptive:} block and of its {@code early_stopping}. */
  static final List<String> KEYS = List.of("early_stopping");
  static final List<String> EARLY_STOPPING_KEYS = List.of("rule", "metric", "grace_epochs", "reduction_factor",
      "keep_within");

  private final Problems problems;

  AdaptiveReader(Problems problems) {
    this.problems = problems;
  }

  /**
   * The {@code adaptive:} block: {@code early_stopping} (successive halving over each dataset × model group's loss
   * variants). Null when the block has mistakes (reported) or says nothing.
   */
  AdaptivePlan.EarlyStopping read(YamlValue value, String training) {
    if (value.isNull() || !value.isMapping()) {
      problems.at(value, "got " + value.describe() + ": expected a mapping with the key early_stopping"
          + " (e.g. {early_stopping: {rule: successive-halving, grace_epochs: 1, reduction_factor: 3}})");
      return null;
    }
    Map<String, YamlValue> keys = value.entries(problems);
    for (Map.Entry<String, YamlValue> e : keys.entrySet()) {
      if (!KEYS.contains(e.getKey())) {
        problems.atKey(e.getValue(), "unknown key '" + e.getKey() + "': expected " + String.join(", ", KEYS));
      }
    }
    YamlValue es = keys.get("early_stopping");
    if (es == null) {
      if (keys.isEmpty()) {
        problems.at(value, "an empty adaptive block: expected the key early_stopping");
      }
      return null;
    }
    if (!es.isMapping()) {
      problems.at(es, "got " + es.describe() + ": expected a mapping with some of the keys "
          + String.join(", ", EARLY_STOPPING_KEYS) + " (rule: successive-halving)");
      return null;
    }
    int before = problems.count();
    Map<String, YamlValue> f = es.entries(problems);
    for (Map.Entry<String, YamlValue> e : f.entrySet()) {
      if (!EARLY_STOPPING_KEYS.contains(e.getKey())) {
        problems.atKey(e.getValue(), "unknown key '" + e.getKey() + "': expected one of "
            + String.join(", ", EARLY_STOPPING_KEYS));
      }
    }
    String rule = word(f.get("rule"), AdaptivePlan.SUCCESSIVE_HALVING, "the rule " + AdaptivePlan.SUCCESSIVE_HALVING);
    String metric = word(f.get("metric"), AdaptivePlan.VALIDATION_RSUM,
        "the rung metric " + AdaptivePlan.VALIDATION_RSUM + " (the rung epoch's validation rSum)");
    Integer epochs = training == null ? null : Cell.trainingConfig(training).epochs();
    YamlValue g = f.get("grace_epochs");
    int grace = g == null
        ? 1
        : problems.integer(g, 1, epochs == null ? Integer.MAX_VALUE : epochs - 1,
            epochs == null
                ? "an integer >= 1"
                : "an integer in [1, " + (epochs - 1) + "]: fewer than training.epochs ("
                    + epochs + "), so that some rung comes before the last epoch");
    YamlValue r = f.get("reduction_factor");
    int eta = r == null
        ? 3
        : problems.integer(r, 2, 1000, "an integer >= 2 (η: a rung keeps the best 1/η of the variants)");
    AnalysisPlan.EquivalenceBound keepWithin = keepWithin(f.get("keep_within"));
    if (g == null && epochs != null && epochs < 2) {
      problems.at(es, "training.epochs is " + epochs + ": expected at least 2 epochs for early stopping (a rung"
          + " before the last epoch)");
    }
    return problems.count() == before ? new AdaptivePlan.EarlyStopping(rule, metric, grace, eta, keepWithin) : null;
  }

  /**
   * {@code keep_within}: rSum points ({@code 0.5}) or a share of the last survivor's rung mean ({@code 1%}); absent:
   * null (the cut is exact).
   */
  private AnalysisPlan.EquivalenceBound keepWithin(YamlValue value) {
    if (value == null || value.isNull()) {
      return null;
    }
    try {
      if (value.isScalar()) {
        return AnalysisPlan.EquivalenceBound.parse(value.text());
      }
    } catch (IllegalArgumentException e) {
      // reported below, with this key's own meaning
    }
    problems.at(value, "got " + value.describe() + ": expected rSum points (keep_within: 0.5) or a percentage of"
        + " the last survivor's rung mean in (0, 100] (keep_within: 1%)");
    return null;
  }

  /** A scalar that must be {@code only} (the one choice of this version); {@code only} when absent. */
  private String word(YamlValue value, String only, String expected) {
    if (value == null || value.isNull()) {
      return only;
    }
    if (!value.isScalar() || !value.text().trim().equals(only)) {
      problems.at(value, "got " + value.describe() + ": expected " + expected);
    }
    return only;
  }
}
