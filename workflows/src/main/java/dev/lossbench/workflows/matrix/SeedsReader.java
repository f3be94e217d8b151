package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.params.Param;
import dev.lossbench.retrieval.params.SpecException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code seeds:}: a count N (seeds 1..N), a list of seeds, or sequential seeds {@code {min, max, step}},
 * reporting every mistake in it.
 */
final class SeedsReader {
  /** The keys of sequential seeds, {@code seeds: {min, max, step}}. */
  static final List<String> SEQUENTIAL_KEYS = List.of("min", "max", "step");
  private static final Param SEED_COUNT = Param.integer("seeds", 1, 1, "a count N means seeds 1..N");
  private static final Param SEED = Param.integer("seed", 0, 0, "one seed");

  private final Problems problems;
  private final MatrixLimits limits;
  /** {@code seeds: {min, max, step}} as read by {@link #read}; null for a count or a list. */
  private AdaptivePlan.SequentialSeeds sequentialSeeds;

  SeedsReader(Problems problems, MatrixLimits limits) {
    this.problems = problems;
    this.limits = limits;
  }

  /** Sequential seeds as {@link #read} found them; {@code null} for a count or a list (or with mistakes). */
  AdaptivePlan.SequentialSeeds sequential() {
    return sequentialSeeds;
  }

  List<Long> read(YamlValue value) {
    if (value == null) {
      return List.of(1L);
    }
    List<Long> seeds = new ArrayList<>();
    if (value.isScalar()) {
      try {
        int n = (Integer) SEED_COUNT.parse("matrix", value.text());
        if (n > limits.maxCells()) {
          // checked before the list is built: each seed is at least one run
          problems.at(value, "seeds " + n + " " + limits.tooManyCells(n));
          return seeds;
        }
        for (long s = 1; s <= n; s++) {
          seeds.add(s);
        }
      } catch (SpecException e) {
        problems.at(value, e.getMessage() + " (a count N means seeds 1..N), or a list of seeds");
      }
      return seeds;
    }
    if (value.isMapping()) {
      return readSequential(value);
    }
    if (!value.isSequence()) {
      problems.at(value, "expected a count N (seeds 1..N), a list of seeds (integers >= 0) or sequential seeds"
          + " {min: N, max: M, step: S}, got " + value.describe());
      return seeds;
    }
    if (value.items().isEmpty()) {
      problems.at(value, "empty list: expected at least one seed (an integer >= 0)");
    }
    Map<Long, YamlValue> seen = new HashMap<>();
    for (YamlValue item : value.items()) {
      try {
        if (!item.isScalar()) {
          throw new SpecException("expected a seed (" + SEED.allowed() + "), got " + item.describe());
        }
        long seed = (Integer) SEED.parse("seeds", item.text());
        YamlValue first = seen.putIfAbsent(seed, item);
        if (first != null) {
          problems.at(item, "seed " + seed + " is listed twice (first at line " + first.line()
              + "): expected distinct seeds");
        } else {
          seeds.add(seed);
        }
      } catch (SpecException e) {
        problems.at(item, e.getMessage());
      }
    }
    return seeds;
  }

  /** {@code seeds: {min, max, step}}: seeds 1..max, looks at min, min+step, …, max. */
  private List<Long> readSequential(YamlValue value) {
    List<Long> seeds = new ArrayList<>();
    Map<String, YamlValue> keys = value.entries(problems);
    int before = problems.count();
    for (Map.Entry<String, YamlValue> e : keys.entrySet()) {
      if (!SEQUENTIAL_KEYS.contains(e.getKey())) {
        problems.atKey(e.getValue(), "unknown key '" + e.getKey() + "': expected min, max and step"
            + " (sequential seeds: seeds 1..max, a look at min, min+step, …, max)");
      }
    }
    YamlValue minValue = keys.get("min");
    YamlValue maxValue = keys.get("max");
    if (minValue == null || maxValue == null) {
      problems.at(value, "sequential seeds without " + (minValue == null ? "min" : "max")
          + ": expected {min: N, max: M, step: S} with 2 <= N <= M (step default 1)");
      return seeds;
    }
    int min = problems.integer(minValue, 2, Integer.MAX_VALUE, "an integer >= 2: the seeds of the first look"
        + " (a paired comparison needs two)");
    int max = problems.integer(maxValue, 2, Integer.MAX_VALUE, "an integer >= min: seeds 1..max at most");
    YamlValue stepValue = keys.get("step");
    int step = stepValue == null
        ? 1
        : problems.integer(stepValue, 1, Integer.MAX_VALUE, "an integer >= 1: seeds added per look");
    if (problems.count() == before && max < min) {
      problems.at(maxValue, "max " + max + " is below min " + min + ": expected min <= max");
    } else if (problems.count() == before && max > limits.maxCells()) {
      // checked before the list is built: each seed is at least one run
      problems.at(maxValue, "seeds " + max + " " + limits.tooManyCells(max));
    }
    if (problems.count() != before) {
      return seeds;
    }
    sequentialSeeds = new AdaptivePlan.SequentialSeeds(min, max, step);
    for (long s = 1; s <= max; s++) {
      seeds.add(s);
    }
    return seeds;
  }
}
