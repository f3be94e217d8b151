package dev.lossbench.deploy.dashboards;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Substitutes template variables into a panel's SQL the way Grafana's SQL datasources do before sending it:
 * {@code $name}, {@code ${name}} and {@code [[name]]} insert a single value as it is and a multi-value (or "All")
 * selection as a quoted, comma-separated list; {@code ${name:sqlstring}} quotes every value ({@code '} doubled),
 * {@code ${name:raw}} and {@code ${name:csv}} join the values unquoted.
 *
 * <p>Grafana macros ({@code $__timeFilter(...)} and the like) are refused: the dashboards use none, and a panel
 * that starts to must teach this class the macro rather than have it pass through untested.
 */
final class GrafanaSqlInterpolation {
  private static final Pattern REFERENCE = Pattern.compile(
      "\\$\\{(?<braced>\\w+)(?::(?<format>\\w+))?}|\\[\\[(?<bracketed>\\w+)(?::(?<bformat>\\w+))?]]|\\$(?<plain>\\w+)");

  private final Map<String, TemplateVariable> variables;
  private final Map<String, List<String>> values;

  /**
   * @param values the selected values of each variable (one for a single-value variable)
   */
  GrafanaSqlInterpolation(Map<String, TemplateVariable> variables, Map<String, List<String>> values) {
    this.variables = Map.copyOf(variables);
    this.values = Map.copyOf(values);
  }

  String interpolate(String sql) {
    Matcher m = REFERENCE.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = firstNonNull(m.group("braced"), m.group("bracketed"), m.group("plain"));
      String format = firstNonNull(m.group("format"), m.group("bformat"));
      if (name.startsWith("__")) {
        throw new IllegalArgumentException("Grafana macro or global variable $" + name + " is not substituted"
            + " by this test; add it to GrafanaSqlInterpolation: " + sql);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(render(name, format)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String render(String name, String format) {
    TemplateVariable variable = variables.get(name);
    List<String> selected = values.get(name);
    if (variable == null || selected == null || selected.isEmpty()) {
      throw new IllegalArgumentException("the SQL uses $" + name + ", which the dashboard does not define"
          + " or which has no value");
    }
    if (format == null) {
      return variable.mayHoldSeveralValues() ? join(selected, GrafanaSqlInterpolation::quote) : selected.get(0);
    }
    return switch (format) {
      case "sqlstring" -> join(selected, GrafanaSqlInterpolation::quote);
      case "raw", "csv" -> String.join(",", selected);
      default -> throw new IllegalArgumentException("variable format :" + format + " of $" + name
          + " is not substituted by this test; add it to GrafanaSqlInterpolation");
    };
  }

  private static String join(List<String> values, java.util.function.UnaryOperator<String> each) {
    return values.stream().map(each).collect(Collectors.joining(","));
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  @SafeVarargs
  private static <T> T firstNonNull(T... candidates) {
    for (T candidate : candidates) {
      if (candidate != null) {
        return candidate;
      }
    }
    return null;
  }
}
