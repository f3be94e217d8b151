package dev.lossbench.workers.cli;

import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.schema.StoreChoice;
import dev.lossbench.schema.failure.Secrets;
import dev.lossbench.workers.console.Logs;
import dev.lossbench.workers.console.UserMistakes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lossbench} command. Exit codes: 0 success; 1 the work ran and failed (e.g. a run
 * failed or diverged, or lossbench itself failed); 2 a mistake the user can fix — usage, the matrix, a data
 * file, the configuration (e.g. {@code LOSSBENCH_DB_URL}), a database or Temporal that cannot be reached, a home in
 * use — reported as one line on stderr that names the file, field or value and what was expected. No stack trace
 * ever reaches the terminal: commands with a home write library logs and stack traces to
 * {@code HOME/logs/lossbench.log} ({@link Logs}).
 */
@Command(name = "lossbench", mixinStandardHelpOptions = true, versionProvider = LossbenchCommand.Version.class, description = "Benchmark harness for vision-language retrieval losses (Triplet-HN, VLC/InfoNCE, the unified loss, ...).", subcommands = {
    RunCommand.class, ResumeCommand.class, StatusCommand.class, LeaderboardCommand.class, ReportCommand.class,
    StudyCommand.class, WorkerCommand.class,
    ServerCommand.class, LossCommand.class, RecallCommand.class, BenchCommand.class,
    CommandLine.HelpCommand.class}, exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
        "0:success",
        "1:the work ran and failed",
        "2:a mistake you can fix: usage, the matrix, a missing or malformed data file (also when every failed run"
            + " failed on one), the configuration, a database or Temporal that cannot be reached, a home in use"
    })
public final class LossbenchCommand implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_BAD_INPUT = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** The configured command line: user mistakes become one line on stderr and exit code 2. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new LossbenchCommand());
    // one source of truth for loss keys, defaults and ranges: the loss library itself
    cl.getSubcommands().get("loss").getCommandSpec().usageMessage()
        .footerHeading("%nLosses and their keys (key=default (allowed)); reduction is over anchors,"
            + " directions combines image→text and text→image:%n")
        .footer(LossSpec.reference().split("\n"));
    // made now, on the terminal's stderr: System.err becomes the log file while a command with a home runs
    cl.getErr();
    cl.setExecutionStrategy(parsed -> {
      Path log = logFile(parsed);
      CommandLine.IExecutionStrategy last = new CommandLine.RunLast();
      try {
        int code = log == null ? last.execute(parsed) : Logs.into(log, () -> last.execute(parsed));
        storeLine(parsed, code);
        return code;
      } catch (CommandLine.ExecutionException | CommandLine.ParameterException e) {
        throw e;
      } catch (Exception | Error e) {
        // JVM errors too (OutOfMemoryError, StackOverflowError): picocli lets them through, the handler takes them
        CommandLine.ParseResult command = parsed;
        while (command.hasSubcommand()) {
          command = command.subcommand();
        }
        throw new CommandLine.ExecutionException(command.commandSpec().commandLine(), e.toString(), e);
      }
    });
    cl.setExecutionExceptionHandler(LossbenchCommand::handle);
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine sub = ex.getCommandLine();
      sub.getErr().println("lossbench " + sub.getCommandName() + ": " + ex.getMessage()
          + " (see: " + sub.getCommandSpec().qualifiedName() + " --help)");
      sub.getErr().flush();
      return EXIT_BAD_INPUT;
    });
    return cl;
  }

  /** Commands that have a home and write their logs there instead of the terminal. */
  private static final Set<String> LOGGING_TO_HOME = Set.of("run", "resume", "status", "leaderboard", "report",
      "study");

  /** Commands that only read the store: after a success they say which store they read (one line on stderr). */
  private static final Set<String> READING = Set.of("status", "leaderboard", "report", "study");

  private static void storeLine(CommandLine.ParseResult parsed, int exitCode) {
    CommandLine.ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    CommandLine.Model.CommandSpec mixin = last.commandSpec().mixins().get("stack");
    if (exitCode != EXIT_OK || !READING.contains(last.commandSpec().name()) || mixin == null
        || !(mixin.userObject() instanceof StackOptions stack) || last.isUsageHelpRequested()
        || last.isVersionHelpRequested()) {
      return;
    }
    PrintWriter err = last.commandSpec().commandLine().getErr();
    err.println("lossbench " + last.commandSpec().name() + ": read " + stack.lossbenchHome().storeLabel());
    err.flush();
  }

  /** The log file of the command {@code parsed} runs, or null when it keeps logging to stderr (worker, server, loss, ...). */
  static Path logFile(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    CommandLine.Model.CommandSpec command = last.commandSpec();
    CommandLine.Model.CommandSpec mixin = command.mixins().get("stack");
    if (!LOGGING_TO_HOME.contains(command.name()) || mixin == null
        || !(mixin.userObject() instanceof StackOptions stack)) {
      return null;
    }
    try {
      return stack.lossbenchHome().logFile();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static int handle(Exception exception, CommandLine cl, CommandLine.ParseResult parsed) {
    // picocli passes on the ExecutionException itself when its cause is an Error
    Throwable e = exception instanceof CommandLine.ExecutionException && exception.getCause() instanceof Error error
        ? error
        : exception;
    PrintWriter err = cl.getErr();
    String[] secrets = knownSecrets();
    // user mistakes (matrix, data, configuration, connection): one line, exit 2; every line masked
    String mistake = UserMistakes.message(e);
    if (mistake != null) {
      err.println(Secrets.mask("lossbench " + cl.getCommandName() + ": " + mistake, secrets));
      err.flush();
      return EXIT_BAD_INPUT;
    }
    // anything else may carry a URL or a driver's property list in its message or its causes': masked too
    Path log = logFile(parsed);
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    String masked = Secrets.mask(trace.toString(), secrets);
    if (log != null && Logs.append(log, "lossbench " + cl.getCommandName() + ": internal error\n" + masked)) {
      err.println(Secrets.mask(
          "lossbench " + cl.getCommandName() + ": internal error: " + oneLine(e) + " (stack trace in " + log + ")",
          secrets));
    } else {
      err.println(Secrets.mask("lossbench " + cl.getCommandName() + ": internal error: " + oneLine(e), secrets));
      if (!(e instanceof Error)) {
        err.print(masked); // no home to hold it; a JVM error's trace (a stack overflow: 1,024 frames) is left out
      }
    }
    err.flush();
    return EXIT_FAILED;
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage();
    // a JVM error's message alone ("Java heap space") does not say what happened
    return (m == null ? e.getClass().getName() : e instanceof Error ? e.toString() : m).replace('\n', ' ');
  }

  /** The credentials this process was given, masked wherever an error echoes them (even bare). */
  private static String[] knownSecrets() {
    return StoreChoice.fromEnvironment().secrets();
  }

  /** Whether the command's output goes to this process's standard output (and not to a test's buffer). */
  static boolean writesToStandardOutput(CommandLine cl) {
    return cl.getOut() == STANDARD_OUT;
  }

  private static PrintWriter STANDARD_OUT;

  public static void main(String[] args) {
    // offline unless asked otherwise (LOSSBENCH_OFFLINE, --offline=false) or a CUDA flavour is to be downloaded
    EngineSettings.applyOfflineDefault();
    CommandLine cl = commandLine();
    STANDARD_OUT = cl.getOut();
    int exit;
    try {
      exit = cl.execute(args);
    } catch (Throwable e) {
      // the last line of defence (an error while parsing the command line, or in a handler): still one line
      Logs.terminal().println(Secrets.mask("lossbench: internal error: " + oneLine(e), knownSecrets()));
      exit = EXIT_FAILED;
    }
    System.exit(exit);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LossbenchCommand.class.getPackage().getImplementationVersion();
      return new String[]{"lossbench " + (v == null ? "(development build)" : v)};
    }
  }
}
