package dev.lossbench.workers.cli;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.repository.Benchmark;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lossbench resume BENCHMARK}: start a benchmark again from the store's record of it. */
@Command(name = "resume", mixinStandardHelpOptions = true,
    description = {
      "Starts a benchmark again from the metrics store's record of its matrix: runs that succeeded are skipped;"
          + " failed, diverged, cancelled and interrupted runs continue from their last checkpoint.",
      "Exit codes: 0 every run succeeded, 1 some run failed, 2 unknown benchmark.",
      ""})
final class ResumeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BENCHMARK", description = "a benchmark id, or a name (its latest benchmark)")
  String benchmark;

  @Mixin StackOptions stack;

  @Mixin FollowOptions follow;

  /** As {@code run}'s: a resumed benchmark computes in this process too (the embedded stack's workers). */
  @Mixin EngineOptions engine;

  @Override
  public Integer call() {
    engine.apply();
    BenchmarkSpec matrix;
    // read the record first (and close this store), then bring up the stack that runs it
    try (MetricsStore store = MetricsStore.open(stack.lossbenchHome().database())) {
      Benchmark b = BenchmarkLookup.find(store, benchmark);
      matrix = BenchmarkSpec.fromCanonicalJson(b.spec().toString());
    }
    return BenchmarkSession.runOrResume(matrix, stack, follow, true, spec.commandLine().getOut(), spec.commandLine().getErr(),
        Progress.forOutput(spec.commandLine().getOut(), LossbenchCommand.writesToStandardOutput(spec.commandLine())));
  }
}
