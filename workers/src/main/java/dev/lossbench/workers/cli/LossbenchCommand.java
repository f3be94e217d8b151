package dev.lossbench.workers.cli;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.schema.Database;
import dev.lossbench.schema.DatabaseConfigurationException;
import dev.lossbench.schema.DatabaseConnectionException;
import dev.lossbench.schema.Secrets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lossbench} command. Exit codes: 0 success; 1 the work ran and failed (e.g. a run
 * failed); 2 bad input (usage, a bad file, spec or value) — reported as one line on stderr.
 */
@Command(
    name = "lossbench",
    mixinStandardHelpOptions = true,
    versionProvider = LossbenchCommand.Version.class,
    description = "Benchmark harness for vision-language retrieval losses (Triplet-HN, VLC/InfoNCE, the unified loss, ...).",
    subcommands = {RunCommand.class, ResumeCommand.class, StatusCommand.class, LeaderboardCommand.class, ReportCommand.class, StudyCommand.class, WorkerCommand.class,
      ServerCommand.class, LossCommand.class, RecallCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the work ran and failed",
      "2:bad input: usage, a missing or malformed file, an unknown loss or key, a value out of range"
    })
public final class LossbenchCommand implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_BAD_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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

  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    String[] secrets = knownSecrets();
    if (e instanceof InvalidInputException || e instanceof DatabaseConfigurationException) {
      err.println(Secrets.mask("lossbench " + cl.getCommandName() + ": " + e.getMessage(), secrets));
      err.flush();
      return EXIT_BAD_INPUT;
    }
    if (e instanceof DatabaseConnectionException) {
      err.println(Secrets.mask("lossbench " + cl.getCommandName() + ": " + e.getMessage(), secrets));
      err.flush();
      return EXIT_FAILED;
    }
    // anything else may carry a URL or a driver's property list in its message or its causes': masked too
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    err.println(Secrets.mask("lossbench " + cl.getCommandName() + ": internal error: " + e, secrets));
    err.print(Secrets.mask(trace.toString(), secrets));
    err.flush();
    return EXIT_FAILED;
  }

  /** The credentials this process was given, masked wherever an error echoes them (even bare). */
  private static String[] knownSecrets() {
    List<String> secrets = new ArrayList<>(Secrets.credentialsIn(System.getenv(Database.URL_VARIABLE)));
    String password = System.getenv(Database.PASSWORD_VARIABLE);
    if (password != null && !password.isEmpty()) {
      secrets.add(password);
    }
    return secrets.toArray(String[]::new);
  }

  /** Whether the command's output goes to this process's standard output (and not to a test's buffer). */
  static boolean writesToStandardOutput(CommandLine cl) {
    return cl.getOut() == STANDARD_OUT;
  }

  private static PrintWriter STANDARD_OUT;

  public static void main(String[] args) {
    // the PyTorch natives come from the bundled jar: never try the network for them
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    CommandLine cl = commandLine();
    STANDARD_OUT = cl.getOut();
    System.exit(cl.execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LossbenchCommand.class.getPackage().getImplementationVersion();
      return new String[] {"lossbench " + (v == null ? "(development build)" : v)};
    }
  }
}
