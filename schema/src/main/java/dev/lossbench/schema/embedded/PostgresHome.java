package dev.lossbench.schema.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a persistent embedded PostgreSQL, in the directory it is given (lossbench's commands give
 * {@code <home>/postgres}): {@code data/} the PostgreSQL data directory (with its {@code PG_VERSION}, zonky's lock
 * file and {@code postmaster.pid}), {@code password} the superuser's password and {@code port} the TCP port the server
 * listened on last, both readable by the owner only (mode 0600) and each replaced whole (written beside, then
 * renamed), so that a reader never sees half a file.
 */
public final class PostgresHome {
  private static final Logger log = LoggerFactory.getLogger(PostgresHome.class);
  private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);
  // zonky's lock file inside the data directory, held while a server runs on it
  private static final String ZONKY_LOCK_FILE = "epg-lock";
  private static final String PORT_FILE = "port";
  private static final String PASSWORD_FILE = "password";
  private static final String DATA_DIRECTORY = "data";
  private static final String OWNER_ONLY_MODE = "rw-------";
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions
      .asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY_MODE));

  private final Path directory;

  /** The files of the server whose home is {@code directory}; nothing is read or made yet. */
  public PostgresHome(Path directory) {
    this.directory = directory;
  }

  /** The PostgreSQL data directory, {@code <home>/data} (absolute). */
  public Path dataDirectory() {
    return directory.toAbsolutePath().resolve(DATA_DIRECTORY);
  }

  /** Where the superuser's password is kept (mode 0600). */
  public Path passwordFile() {
    return directory.resolve(PASSWORD_FILE);
  }

  /** The superuser's password, once the server has one. */
  public Optional<String> recordedPassword() {
    Path file = passwordFile();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
      return password.isEmpty() ? Optional.empty() : Optional.of(password);
    } catch (IOException e) {
      throw new EmbeddedPostgresException("cannot read the embedded PostgreSQL password in " + file + ": " + e, e);
    }
  }

  void recordPassword(String password) {
    replace(PASSWORD_FILE, "password", password);
  }

  /** The port the server last ran on, if any. */
  public OptionalInt recordedPort() {
    Path file = directory.resolve(PORT_FILE);
    if (!Files.exists(file)) {
      return OptionalInt.empty();
    }
    try {
      int port = Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim());
      return port >= 1 && port <= 65535 ? OptionalInt.of(port) : OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      log.warn("ignoring unreadable port file {}: {}", file, e.toString());
      return OptionalInt.empty();
    }
  }

  // owner only, like the password: another account has no use for the superuser's port
  void recordPort(int port) {
    replace(PORT_FILE, "port", Integer.toString(port));
  }

  Path portFile() {
    return directory.resolve(PORT_FILE);
  }

  /* The one write of this home's files: a temporary file beside it, 0600 before anything is written into it, renamed over it. */
  private void replace(String name, String what, String text) {
    Path file = directory.resolve(name);
    Path temporary = directory.resolve(name + ".tmp");
    try {
      Files.deleteIfExists(temporary);
      if (supportsPosix(directory)) {
        Files.createFile(temporary, OWNER_ONLY);
      }
      writeOwnerOnly(temporary, text);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new EmbeddedPostgresException("cannot record the embedded PostgreSQL " + what + " in " + file + ": " + e,
          e);
    }
  }

  /** {@code text} and a line end into {@code file}, made owner-only; on a file system without POSIX modes, as the OS makes it. */
  static void writeOwnerOnly(Path file, String text) throws IOException {
    Files.writeString(file, text + "\n", StandardCharsets.US_ASCII);
    if (supportsPosix(file.getParent())) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(OWNER_ONLY_MODE));
    }
  }

  private static boolean supportsPosix(Path directory) {
    return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** Whether initdb has made the data directory (its {@code PG_VERSION} exists). */
  boolean initialised() {
    return Files.exists(dataDirectory().resolve("PG_VERSION"));
  }

  /** A data directory from another major version cannot be opened; say so instead of a startup timeout. */
  void refuseOtherMajorVersion(String expectedMajor) {
    Path data = dataDirectory();
    String found;
    try {
      found = Files.readString(data.resolve("PG_VERSION"), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new EmbeddedPostgresException("cannot read " + data.resolve("PG_VERSION") + ": " + e, e);
    }
    if (!found.equals(expectedMajor)) {
      throw new EmbeddedPostgresException("the embedded PostgreSQL data in " + data
          + " was written by PostgreSQL " + found + ", but this lossbench runs PostgreSQL "
          + expectedMajor + "; move its figures over with pg_dumpall (PostgreSQL " + found
          + ") and psql, or run lossbench with another home (--home or LOSSBENCH_HOME)");
    }
  }

  /** Refuses a data directory whose lock another server (of this process or another) holds. */
  void refuseIfInUse() {
    Path data = dataDirectory();
    Path lockFile = data.resolve(ZONKY_LOCK_FILE);
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(data, "another process");
      }
      lock.release();
    } catch (OverlappingFileLockException e) {
      throw inUse(data, "this process");
    } catch (IOException e) {
      throw new EmbeddedPostgresException("cannot check whether " + data + " is in use: " + e, e);
    }
  }

  // LOSSBENCH_DB_URL: the schema package's Database.URL_VARIABLE, named here as text (embedded does not import it)
  private static EmbeddedPostgresException inUse(Path data, String who) {
    return new DataDirectoryInUseException("the embedded PostgreSQL data directory " + data
        + " is in use by " + who + "; stop the other lossbench (or `lossbench server`) first, or point "
        + "lossbench at it with LOSSBENCH_DB_URL");
  }

  /*
   * A lossbench that was killed (kill -9, a crashed JVM) leaves its postmaster running: pg_ctl detaches it.
   * Nobody holds the data directory lock then, so the server is an orphan; a smart shutdown (SIGTERM) stops
   * it cleanly, since its clients died with the JVM.
   */
  void stopOrphanedServer() {
    Path data = dataDirectory();
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
      pid = Long.parseLong(lines.get(0).trim());
    } catch (IOException | RuntimeException e) {
      return; // unreadable or being written: PostgreSQL itself decides whether it is stale
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
    if (process.isEmpty()) {
      return;
    }
    log.warn("stopping PostgreSQL (pid {}) left running on {} by an earlier lossbench", pid, data);
    requestFastShutdown(process.get());
    try {
      process.get().onExit().get(ORPHAN_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new EmbeddedPostgresException("PostgreSQL (pid " + pid + ") left running on " + data
          + " by an earlier lossbench did not stop within " + ORPHAN_STOP_WAIT.toSeconds()
          + " s; stop it (kill " + pid + ") and start again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedPostgresException("interrupted while stopping PostgreSQL (pid " + pid + ")");
    }
  }

  // SIGINT is PostgreSQL's fast shutdown, which does not wait for clients (a dashboard may still be connected);
  // where kill(1) is missing, SIGTERM (smart shutdown) is the portable fallback.
  private static void requestFastShutdown(ProcessHandle postmaster) {
    try {
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid()))
          .redirectErrorStream(true)
          .start();
      if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) {
        return;
      }
    } catch (IOException e) {
      log.debug("kill -INT {} failed: {}", postmaster.pid(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    postmaster.destroy();
  }
}
