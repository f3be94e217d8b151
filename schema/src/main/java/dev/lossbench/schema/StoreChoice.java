package dev.lossbench.schema;

import dev.lossbench.schema.failure.Secrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which metrics store this process uses, as its environment says: the one place that reads
 * {@value Database#URL_VARIABLE} (with {@value Database#USER_VARIABLE} and {@value Database#PASSWORD_VARIABLE}).
 * Set: an external PostgreSQL at that URL; unset or blank: the embedded one, in the directory the caller passes to
 * {@link #open(Path)}. Every command that must know which (banners, {@code server}, a worker joining a cluster, the
 * credentials masked in error lines) asks this, and {@link Database#fromEnvironment} opens what it says.
 *
 * <p>The password is kept for {@link #open(Path)} and {@link #secrets()} only: {@link #toString()} never shows it.
 */
public final class StoreChoice {
  private static final Logger log = LoggerFactory.getLogger(StoreChoice.class);

  private final String url;
  private final boolean urlSetButBlank;
  private final String user;
  private final String password;

  private StoreChoice(String url, String user, String password) {
    this.url = value(url);
    this.urlSetButBlank = url != null && this.url == null;
    this.user = value(user);
    this.password = value(password);
  }

  /** What this process's environment variables say. */
  public static StoreChoice fromEnvironment() {
    return new StoreChoice(System.getenv(Database.URL_VARIABLE), System.getenv(Database.USER_VARIABLE),
        System.getenv(Database.PASSWORD_VARIABLE));
  }

  /** What {@code environment} says (variables set to an empty or blank string count as unset). */
  public static StoreChoice fromEnvironment(Map<String, String> environment) {
    return new StoreChoice(environment.get(Database.URL_VARIABLE), environment.get(Database.USER_VARIABLE),
        environment.get(Database.PASSWORD_VARIABLE));
  }

  /** Whether the store is an external PostgreSQL ({@value Database#URL_VARIABLE} set), not the embedded one. */
  public boolean external() {
    return url != null;
  }

  /** {@value Database#URL_VARIABLE} as set; null when unset or blank (the embedded store). */
  public String url() {
    return url;
  }

  /** {@value Database#URL_VARIABLE} is set, but to an empty or blank string (which counts as unset). */
  public boolean urlSetButBlank() {
    return urlSetButBlank;
  }

  /**
   * The credentials this process was given, for {@link Secrets#mask}: those inside the URL (a {@code password=}
   * parameter, a user part) and the password.
   */
  public String[] secrets() {
    List<String> secrets = new ArrayList<>(url == null ? List.of() : Secrets.credentialsIn(url));
    if (password != null) {
      secrets.add(password);
    }
    return secrets.toArray(String[]::new);
  }

  /**
   * Opens the store chosen: the external PostgreSQL, else the embedded one with its files in
   * {@code embeddedDirectory}.
   */
  public Database open(Path embeddedDirectory) {
    Objects.requireNonNull(embeddedDirectory, "embeddedDirectory");
    if (url != null) {
      return Database.external(url, user, password);
    }
    if (user != null || password != null) {
      log.warn("{} or {} is set but {} is not: using the embedded PostgreSQL, not an external one",
          Database.USER_VARIABLE, Database.PASSWORD_VARIABLE, Database.URL_VARIABLE);
    }
    return Database.embedded(embeddedDirectory);
  }

  @Override
  public String toString() {
    return url == null ? "embedded PostgreSQL" : "PostgreSQL at " + Secrets.mask(url.trim(), secrets());
  }

  private static String value(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
