package dev.lossbench.schema.failure;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one routine that takes credentials out of text before it is logged, stored or printed: the
 * password of a URL's user part ({@code scheme://user:secret@host}, {@code jdbc:postgresql://…}
 * included), the value of any key whose name contains {@code password} ({@code password=},
 * {@code sslpassword=}, {@code LOSSBENCH_DB_PASSWORD=}, {@code "password": "…"}), and any literal
 * secret the caller knows (the configured password, wherever a driver may have echoed it).
 */
public final class Secrets {
  public static final String MASK = "****";

  /**
   * {@code scheme://user:secret@} — the user stays, the secret goes. The secret runs to the last {@code @} of the line:
   * people put {@code /}, {@code @}, {@code :}, spaces and {@code %} in passwords without escaping them, and masking
   * a little too much is the safe side.
   */
  private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/@\\s:]*):([^\\r\\n]*)@");
  /** {@code …password…=value} in a query string, a property list or an environment listing. */
  private static final Pattern KEY_VALUE = Pattern
      .compile("(?i)([A-Za-z0-9_.-]*password[A-Za-z0-9_.-]*=)([^&;\\s,)\"'}]*)");
  /** {@code "…password…": "value"} in JSON. */
  private static final Pattern JSON_VALUE = Pattern
      .compile("(?i)(\"[A-Za-z0-9_.-]*password[A-Za-z0-9_.-]*\"\\s*:\\s*\")([^\"]*)");

  private Secrets() {}

  /** {@code text} with every credential in it replaced by {@value #MASK}; {@code null} stays {@code null}. */
  public static String mask(String text, String... knownSecrets) {
    if (text == null) {
      return null;
    }
    String masked = text;
    for (String secret : knownSecrets) {
      if (secret != null && !secret.isEmpty()) {
        masked = masked.replace(secret, MASK);
      }
    }
    masked = USER_INFO.matcher(masked)
        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + ":" + MASK + "@"));
    masked = KEY_VALUE.matcher(masked)
        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + (m.group(2).isEmpty() ? "" : MASK)));
    return JSON_VALUE.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
  }

  /**
   * The credentials themselves that {@link #mask} would take out of {@code text} (a URL's user-part password, the
   * values of keys named like {@code password}), so that a caller can also mask them where a driver echoes them
   * bare.
   */
  public static List<String> credentialsIn(String text) {
    List<String> found = new ArrayList<>();
    if (text == null) {
      return found;
    }
    for (Pattern p : List.of(USER_INFO, KEY_VALUE, JSON_VALUE)) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        String value = m.group(p == USER_INFO ? 3 : 2);
        // as written, and as a driver may print it once decoded (%2F → /)
        for (String form : List.of(value, decoded(value))) {
          if (!form.isEmpty() && !found.contains(form)) {
            found.add(form);
          }
        }
      }
    }
    return found;
  }

  private static String decoded(String value) {
    try {
      return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value; // a lone % is not an escape
    }
  }

  /** Whether {@code text} holds a credential {@link #mask} would take out. */
  public static boolean containsCredential(String text) {
    return text != null && !mask(text).equals(text);
  }
}
