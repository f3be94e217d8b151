package dev.lossbench.retrieval.params;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Resolved parameters of a spec: every given key known and in range, every other key at its
 * default. All mistakes are reported at once, in one exception.
 */
public final class Params {
  private Params() {}

  /**
   * @param owner names the spec in messages (e.g. {@code unified}, {@code model vse-gpo})
   * @param known the keys the spec accepts
   * @param raw given key → value (text or YAML scalar)
   * @param error builds the exception for the joined messages
   */
  public static <E extends SpecException> SortedMap<String, Object> resolve(String owner, List<Param> known,
      Map<String, ?> raw, Function<String, E> error) {
    SortedMap<String, Object> resolved = new TreeMap<>();
    List<String> errors = new ArrayList<>();
    for (Map.Entry<String, ?> e : raw.entrySet()) {
      Param p = known.stream().filter(k -> k.key().equals(e.getKey())).findFirst().orElse(null);
      if (p == null) {
        errors.add(owner + ": unknown key '" + e.getKey() + "': expected one of "
            + known.stream().map(Param::key).collect(Collectors.joining(", ")));
        continue;
      }
      try {
        resolved.put(p.key(), p.parse(owner, e.getValue()));
      } catch (SpecException ex) {
        errors.add(ex.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw error.apply(String.join("; ", errors));
    }
    for (Param p : known) {
      resolved.putIfAbsent(p.key(), p.defaultValue());
    }
    return resolved;
  }

  /** {@code key=value,...} of every parameter, sorted: the canonical text of a spec. */
  public static String canonical(SortedMap<String, Object> params) {
    return params.entrySet().stream()
        .map(e -> e.getKey() + "=" + Param.format(e.getValue()))
        .collect(Collectors.joining(","));
  }

  /** {@code key=value,...} of the parameters that differ from their defaults, in declaration order. */
  public static String nonDefault(List<Param> known, Map<String, Object> params) {
    return known.stream()
        .filter(p -> !p.defaultValue().equals(params.get(p.key())))
        .map(p -> p.key() + "=" + Param.format(params.get(p.key())))
        .collect(Collectors.joining(","));
  }

  /** One line per key: {@code key=default (allowed)}, for --help and the README. */
  public static String reference(List<Param> known) {
    return known.stream()
        .map(p -> p.key() + "=" + Param.format(p.defaultValue()) + " (" + p.allowed() + ")")
        .collect(Collectors.joining(" "));
  }

  /**
   * The {@code name} entry of a YAML/JSON map and the remaining key → value pairs; {@code what}
   * names the spec kind and {@code known} the allowed names, for the message when it is missing.
   */
  public static Map.Entry<String, Map<String, Object>> named(String what, Map<String, ?> map, String known,
      Function<String, ? extends SpecException> error) {
    Object id = map.get("name");
    if (id == null) {
      throw error.apply(what + " map " + map + " has no 'name': expected one of " + known);
    }
    Map<String, Object> raw = new LinkedHashMap<>(map);
    raw.remove("name");
    return Map.entry(String.valueOf(id), raw);
  }

  /** Splits {@code NAME:key=value,...} into the name and raw pairs; {@code what} names the spec kind. */
  public static Map.Entry<String, Map<String, Object>> split(String what, String spec) {
    String s = spec.trim();
    int colon = s.indexOf(':');
    String id = colon < 0 ? s : s.substring(0, colon).trim();
    Map<String, Object> raw = new LinkedHashMap<>();
    if (colon >= 0 && !s.substring(colon + 1).isBlank()) {
      for (String pair : s.substring(colon + 1).split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new SpecException(what + " spec '" + spec + "': '" + pair.trim() + "' is not key=value");
        }
        raw.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return Map.entry(id, raw);
  }
}
