package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.params.Param;
import dev.lossbench.retrieval.params.SpecException;
import dev.lossbench.retrieval.train.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads {@code training:} into {@link TrainingConfig}'s canonical text, reporting every mistake in it. */
final class TrainingReader {
  private final Problems problems;

  TrainingReader(Problems problems) {
    this.problems = problems;
  }

  /** Training settings are shared by every cell: a list here would be a sweep the store cannot tell apart. */
  String read(YamlValue value) {
    if (value == null || value.isNull()) {
      return TrainingConfig.defaults().canonical();
    }
    if (!value.isMapping()) {
      problems.at(value, "expected a map of training settings (" + trainingKeys() + "), got " + value.describe());
      return null;
    }
    Map<String, String> raw = new LinkedHashMap<>();
    for (Map.Entry<String, YamlValue> f : value.entries(problems).entrySet()) {
      YamlValue v = f.getValue();
      Optional<Param> known = TrainingConfig.PARAMS.stream().filter(p -> p.key().equals(f.getKey())).findFirst();
      if (known.isPresent() && !v.isScalar() && !v.isNull()) {
        problems.at(v, "expected " + known.get().allowed() + ", got " + v.describe()
            + (v.isSequence()
                ? " (training settings are shared by every cell and do not sweep:"
                    + " write one matrix per setting to compare them)"
                : ""));
        continue;
      }
      try {
        TrainingConfig.fromMap(Map.of(f.getKey(), v.isScalar() || v.isNull() ? v.text() : "?"));
        raw.put(f.getKey(), v.text());
      } catch (SpecException e) {
        if (known.isPresent()) {
          problems.at(v, e.getMessage());
        } else {
          problems.atKey(v, e.getMessage());
        }
      }
    }
    try {
      return TrainingConfig.fromMap(raw).canonical();
    } catch (SpecException e) {
      return null; // every key was reported above
    }
  }

  private String trainingKeys() {
    return String.join(", ", TrainingConfig.PARAMS.stream().map(Param::key).toList());
  }
}
