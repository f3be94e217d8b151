package dev.lossbench.workers.cli;

import dev.lossbench.workers.console.Progress;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.DatasetFiles;
import dev.lossbench.workflows.matrix.MatrixParser;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lossbench run MATRIX}: the whole benchmark, from the matrix file to the leaderboard. */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
    "Runs a benchmark matrix: prepares its datasets, trains and evaluates every cell, prints the leaderboard.",
    "Without --temporal everything runs in this process: the embedded PostgreSQL (kept under --home, so a second"
        + " run sees the first one's results), an in-process Temporal server and workers for every queue.",
    "With --temporal HOST:PORT (and LOSSBENCH_DB_URL) it only submits the benchmark to that cluster and follows it.",
    "Submitting a matrix whose benchmark already finished prints its leaderboard without training; one that is"
        + " running is followed, not started twice; runs that already succeeded are never run again.",
    "Exit codes: 0 every run succeeded, 1 some run failed or diverged, 2 bad input (the matrix's mistakes are listed).",
    ""})
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MATRIX", description = "the matrix file, e.g. matrices/quick.yaml")
  Path matrix;

  @Mixin
  StackOptions stack;

  @Mixin
  FollowOptions follow;

  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() {
    engine.apply();
    BenchmarkSpec benchmark = MatrixParser.parse(matrix);
    DatasetFiles.warnings(benchmark).forEach(spec.commandLine().getErr()::println);
    return BenchmarkSession.runOrResume(benchmark, stack, follow, false, spec.commandLine().getOut(),
        spec.commandLine().getErr(),
        Progress.forOutput(spec.commandLine().getOut(), LossbenchCommand.writesToStandardOutput(spec.commandLine())));
  }
}
