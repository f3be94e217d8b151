package dev.lossbench.retrieval.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path as written in a matrix (a dataset's directory, a TorchScript model's module and tokenizer), with
 * {@code ${VAR}} taken from the environment, so one matrix serves every machine whose files sit elsewhere. The
 * one {@code ${VAR}} expander.
 */
public final class PathTemplate {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The expanded text, or the problems that prevent it (unset variables named, all of them). */
  public record Expansion(String text, List<String> problems) {}

  private PathTemplate() {}

  /**
   * {@code template} with each {@code ${NAME}} replaced by its value in {@code environment}; an unset variable's
   * problem says it should name {@code what} (e.g. {@code the data directory}), as in {@code export NAME=example}.
   */
  public static Expansion expand(String template, Map<String, String> environment, String what, String example) {
    List<String> problems = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    Matcher m = VARIABLE.matcher(template);
    int last = 0;
    while (m.find()) {
      out.append(template, last, m.start());
      String name = m.group(1);
      String value = environment.get(name);
      if (!NAME.matcher(name).matches()) {
        problems.add("'${" + name
            + "}' is not an environment variable reference: expected ${NAME} with NAME of letters, digits and _");
      } else if (value == null || value.isEmpty()) {
        problems.add("environment variable " + name + " is not set" + (value == null ? "" : " (it is empty)")
            + ": expected it to name " + what + " (export " + name + "=" + example + ")");
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
