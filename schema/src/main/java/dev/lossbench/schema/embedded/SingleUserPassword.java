package dev.lossbench.schema.embedded;

import dev.lossbench.schema.failure.Secrets;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gives the superuser of a stopped data directory its password in PostgreSQL's single-user mode: no postmaster, no
 * TCP listener and no Unix socket exist while the role has none, so no other account can log in meanwhile, and
 * pg_hba.conf never needs a trust rule.
 */
final class SingleUserPassword {
  private static final long TIMEOUT_SECONDS = 120;

  private SingleUserPassword() {}

  /** Sets the password of {@code role} in the (stopped) cluster at {@code data}; {@code password} needs no quoting. */
  static void set(Path data, String role, String password) {
    List<String> command = new ArrayList<>();
    // as zonky runs its own binaries: PostgreSQL refuses to run as root, so root runs it in a user namespace
    if (LinuxUtils.isUnshareAvailable()) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(List.of(postgresBinary().toString(), "--single", "-D", data.toString(),
        "-c", "log_statement=none", "-c", "log_min_error_statement=panic", "postgres"));
    String output;
    int exit;
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(("ALTER ROLE " + role + " PASSWORD '" + password + "'\n").getBytes(StandardCharsets.US_ASCII));
      }
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new EmbeddedPostgresException("PostgreSQL in single-user mode on " + data + " did not finish within "
            + TIMEOUT_SECONDS + " s while the superuser was given its password");
      }
      exit = process.exitValue();
    } catch (IOException e) {
      throw new EmbeddedPostgresException("cannot run PostgreSQL in single-user mode on " + data + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedPostgresException("interrupted while the embedded PostgreSQL superuser was given its password");
    }
    // single-user mode reports a failed statement on its output and still exits 0
    if (exit != 0 || output.contains("ERROR:") || output.contains("FATAL:")) {
      throw new EmbeddedPostgresException("cannot give the embedded PostgreSQL superuser a password (data in " + data
          + ", exit " + exit + "): " + Secrets.mask(output.strip(), password).replace('\n', ' '));
    }
  }

  /*
   * zonky unpacks its binaries on first use and keeps where in a private method; the same call (same resolver,
   * so the same cached directory) finds them. The version is pinned in the pom and a test runs this path.
   */
  private static File postgresBinary() {
    try {
      Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class, File.class);
      prepare.setAccessible(true);
      File pgDir = (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
      return new File(pgDir, "bin/postgres");
    } catch (InvocationTargetException e) {
      throw new EmbeddedPostgresException("cannot unpack the embedded PostgreSQL binaries: " + e.getCause(),
          e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new EmbeddedPostgresException("cannot find the embedded PostgreSQL binaries (zonky " + e + ")", e);
    }
  }
}
