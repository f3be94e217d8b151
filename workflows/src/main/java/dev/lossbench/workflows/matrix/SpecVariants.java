package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.params.SpecException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reads the {@code losses:} or {@code models:} list into canonical specs. An entry is a spec string
 * ({@code unified:gamma=50}) or a map with a {@code name}; in a map any parameter may be a list,
 * which sweeps it: the entry expands into the cartesian product, parameters in key order (so the
 * order does not depend on how the map is written), values in list order. Every key and value is
 * checked by the spec class itself, one at a time, so each message carries its own line.
 *
 * @param <S> LossSpec or ModelSpec
 */
final class SpecVariants<S> {
  private final String what;
  private final Function<String, S> parse;
  private final BiFunction<String, Map<String, ?>, S> of;
  private final Function<S, String> canonical;

  /**
   * @param what {@code loss} or {@code model}, for messages
   * @param parse the spec class's string parser
   * @param of the spec class's name + raw map factory
   * @param canonical the spec's canonical text
   */
  SpecVariants(String what, Function<String, S> parse, BiFunction<String, Map<String, ?>, S> of,
      Function<S, String> canonical) {
    this.what = what;
    this.parse = parse;
    this.of = of;
    this.canonical = canonical;
  }

  /**
   * How many specs {@link #read} gives for {@code list}, from list lengths alone (a map entry: the product of its
   * sweeps' lengths) without expanding anything; what is not a spec counts 0 ({@link #read} reports it).
   */
  static long count(YamlValue list) {
    if (list == null || !list.isSequence()) {
      return 0;
    }
    long total = 0;
    for (YamlValue entry : list.items()) {
      long combinations = entry.isScalar() ? 1 : 0;
      if (entry.isMapping()) {
        combinations = 1;
        // mistakes in the entry are reported by read, not here
        for (Map.Entry<String, YamlValue> f : entry.entries(new Problems("")).entrySet()) {
          if (!f.getKey().equals("name") && f.getValue().isSequence()) {
            combinations = MatrixLimits.saturatedProduct(combinations, f.getValue().items().size());
          }
        }
      }
      total = MatrixLimits.saturatedSum(total, combinations);
    }
    return total;
  }

  /** The canonical specs of every entry, sweeps expanded, in order; problems reported, not thrown. */
  List<String> read(YamlValue list, Problems problems) {
    List<String> specs = new ArrayList<>();
    Map<String, YamlValue> seen = new HashMap<>();
    for (YamlValue entry : list.items()) {
      for (String spec : entry(entry, problems)) {
        YamlValue first = seen.putIfAbsent(spec, entry);
        if (first == null) {
          specs.add(spec);
        } else if (first == entry) {
          problems.at(entry, "the sweep gives " + spec + " twice: expected distinct values");
        } else {
          problems.at(entry, "same " + what + " as " + first.field() + " (line " + first.line() + "): " + spec
              + "; expected each " + what + " once");
        }
      }
    }
    return specs;
  }

  private List<String> entry(YamlValue entry, Problems problems) {
    if (entry.isScalar()) {
      try {
        return List.of(canonical.apply(parse.apply(entry.text())));
      } catch (SpecException e) {
        problems.at(entry, e.getMessage());
        return List.of();
      }
    }
    if (!entry.isMapping()) {
      problems.at(entry, "expected a " + what + " spec (NAME or NAME:key=value,...) or a map with a name, got "
          + entry.describe());
      return List.of();
    }
    Map<String, YamlValue> fields = entry.entries(problems);
    YamlValue nameValue = fields.remove("name");
    if (nameValue == null || !nameValue.isScalar()) {
      problems.at(nameValue == null ? entry : nameValue, entry.child("name"),
          (nameValue == null ? "missing" : "got " + nameValue.describe()) + ": expected the " + what + "'s name");
      return List.of();
    }
    String name = nameValue.text();
    try {
      of.apply(name, Map.of());
    } catch (SpecException e) {
      problems.at(nameValue, e.getMessage());
      return List.of();
    }
    // key → the values it takes: one, or the list of a sweep; sorted so the expansion order is the key order
    TreeMap<String, List<String>> axes = new TreeMap<>();
    boolean ok = true;
    for (Map.Entry<String, YamlValue> f : fields.entrySet()) {
      List<YamlValue> values = f.getValue().isSequence() ? f.getValue().items() : List.of(f.getValue());
      if (f.getValue().isSequence() && values.isEmpty()) {
        problems.at(f.getValue(), "empty list: expected a value or a non-empty list of values to sweep");
        ok = false;
      }
      List<String> texts = new ArrayList<>();
      for (YamlValue v : values) {
        if (!v.isScalar() && !v.isNull()) {
          problems.at(v, "expected a value" + (f.getValue().isSequence() ? "" : " or a list of values to sweep")
              + ", got " + v.describe());
          ok = false;
          continue;
        }
        try {
          of.apply(name, Map.of(f.getKey(), v.text()));
          texts.add(v.text());
        } catch (SpecException e) {
          problems.at(v, e.getMessage());
          ok = false;
        }
      }
      axes.put(f.getKey(), texts);
    }
    if (!ok) {
      return List.of();
    }
    List<String> specs = new ArrayList<>();
    for (Map<String, String> combination : product(axes)) {
      try {
        specs.add(canonical.apply(of.apply(name, combination)));
      } catch (SpecException e) {
        problems.at(entry, e.getMessage()); // a rule between keys; none today, kept for future specs
      }
    }
    return specs;
  }

  /** Every combination of one value per key, the last key varying fastest. */
  static List<Map<String, String>> product(TreeMap<String, List<String>> axes) {
    List<Map<String, String>> combinations = new ArrayList<>();
    combinations.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : combinations) {
        for (String value : axis.getValue()) {
          Map<String, String> c = new LinkedHashMap<>(partial);
          c.put(axis.getKey(), value);
          next.add(c);
        }
      }
      combinations = next;
    }
    return combinations;
  }
}
