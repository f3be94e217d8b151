package dev.lossbench.workers.cli;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.workers.console.Progress;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lossbench resume BENCHMARK}: start a benchmark again from the store's record of it. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = {
    "Starts a benchmark again from the metrics store's record of its matrix: runs that succeeded are skipped;"
        + " failed, diverged, cancelled and interrupted runs continue from their last checkpoint.",
    "Exit codes: 0 every run succeeded, 1 some run failed, 2 unknown benchmark or variant.",
    ""})
final class ResumeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BENCHMARK", description = "a benchmark id, or a name (its latest benchmark)")
  String benchmark;

  @Option(names = "--promote", paramLabel = "VARIANT", description = "(repeatable) an adaptive benchmark's loss variant whose runs early stopping stopped: they continue"
      + " from their checkpoints to the last epoch, are evaluated and compared")
  List<String> promote;

  @Mixin
  StackOptions stack;

  @Mixin
  FollowOptions follow;

  /** As {@code run}'s: a resumed benchmark computes in this process too (the embedded stack's workers). */
  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() {
    engine.apply();
    BenchmarkSpec matrix;
    // read the record first (and close this store), then bring up the stack that runs it
    try (MetricsStore store = MetricsStore.open(stack.lossbenchHome().database())) {
      Benchmark b = BenchmarkLookup.find(store, benchmark);
      matrix = BenchmarkSpec.fromCanonicalJson(b.spec().toString());
    }
    List<String> promoted = promote == null ? List.of() : promotedVariants(matrix, promote);
    return BenchmarkSession.runOrResume(matrix, promoted, stack, follow, true, spec.commandLine().getOut(),
        spec.commandLine().getErr(),
        Progress.forOutput(spec.commandLine().getOut(), LossbenchCommand.writesToStandardOutput(spec.commandLine())));
  }

  /**
   * The labels of the variants {@code wanted} names (a label, or any spelling of a variant's spec); one line naming
   * the first that is not a variant of the benchmark, or a benchmark without early stopping, otherwise.
   */
  static List<String> promotedVariants(BenchmarkSpec matrix, List<String> wanted) {
    List<String> labels = matrix.lossSpecs().stream().map(LossSpec::label).toList();
    if (matrix.adaptive() == null || matrix.adaptive().earlyStopping() == null) {
      throw new InvalidInputException("--promote: benchmark " + matrix.name() + " has no early stopping (adaptive:"
          + " early_stopping), so none of its runs was stopped: expected an adaptive benchmark");
    }
    List<String> promoted = new ArrayList<>();
    for (String w : wanted) {
      String label = matrix.lossSpecs().stream().filter(l -> l.label().equals(w.trim()) || sameSpec(l, w))
          .map(LossSpec::label).findFirst().orElseThrow(() -> new InvalidInputException("--promote: '" + w
              + "' is not a loss variant of benchmark " + matrix.name() + ": expected one of "
              + String.join(", ", labels)));
      if (!promoted.contains(label)) {
        promoted.add(label);
      }
    }
    return promoted;
  }

  private static boolean sameSpec(LossSpec variant, String wanted) {
    try {
      return LossSpec.parse(wanted.trim()).equals(variant);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
