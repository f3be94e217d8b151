package dev.lossbench.workflows.matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dataset path as written in a matrix, with {@code ${VAR}} taken from the environment, so one
 * matrix serves every machine whose data sits elsewhere.
 */
final class PathTemplate {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The expanded text, or the problems that prevent it (unset variables named, all of them). */
  record Expansion(String text, List<String> problems) {}

  private PathTemplate() {}

  static Expansion expand(String template, Map<String, String> environment) {
    List<String> problems = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    Matcher m = VARIABLE.matcher(template);
    int last = 0;
    while (m.find()) {
      out.append(template, last, m.start());
      String name = m.group(1);
      String value = environment.get(name);
      if (!NAME.matcher(name).matches()) {
        problems.add("'${" + name + "}' is not an environment variable reference: expected ${NAME} with NAME of letters, digits and _");
      } else if (value == null || value.isEmpty()) {
        problems.add("environment variable " + name + " is not set" + (value == null ? "" : " (it is empty)")
            + ": expected it to name the data directory (export " + name + "=/path/to/data)");
      } else {
        out.append(value);
      }
      last = m.end();
    }
    out.append(template.substring(last));
    if (template.indexOf("${", last) >= 0) {
      problems.add("'" + template + "' has an unterminated '${': expected ${NAME}");
    }
    return new Expansion(out.toString(), problems);
  }
}
