package dev.lossbench.workers.cli;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.repository.TrainingAttemptRepository.AttemptTotals;
import dev.lossbench.workers.format.ComputeText;
import dev.lossbench.workers.format.Figures;
import dev.lossbench.workers.format.StoppedText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lossbench status}: benchmarks, or one benchmark's runs and their states, from the store. */
@Command(name = "status", mixinStandardHelpOptions = true, description = {
    "Without BENCHMARK: every benchmark with its runs counted by state. With it: each run's state,"
        + " epochs done, attempts, the epochs and seconds its attempts trained, the device its latest attempt trained on,"
        + " and error (a run successive halving stopped: stopped at epoch R (rung)); runs that had succeeded in an"
        + " earlier benchmark are marked from before. Both show the benchmark's compute (run-epochs trained, stopped"
        + " runs' included, against the full grid's).",
    "Exit codes: 0 success, 2 unknown benchmark.", ""})
final class StatusCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "BENCHMARK", description = "id or name")
  String benchmark;

  @Mixin
  StackOptions stack;

  @Override
  public Integer call() {
    // collected first: a read that a run's ending interrupts is made again, and must not print twice
    String text = stack.lossbenchHome().read(this::describe);
    PrintWriter out = spec.commandLine().getOut();
    out.print(text);
    out.flush();
    return LossbenchCommand.EXIT_OK;
  }

  private String describe(MetricsStore store) {
    StringWriter buffer = new StringWriter();
    PrintWriter out = new PrintWriter(buffer);
    if (benchmark == null) {
      List<Benchmark> all = store.benchmarks().list();
      if (all.isEmpty()) {
        out.println("no benchmarks yet; start one with: lossbench run matrices/quick.yaml");
      }
      // a fixed number of queries, however many benchmarks and runs
      Map<String, Map<RunStatus, Integer>> counts = store.runs().countsByBenchmark();
      for (Benchmark b : all) {
        out.printf(Locale.ROOT, "%-12s %-10s %s  %s%n", b.name(), lower(b.status().name()), b.id(),
            counts(counts.getOrDefault(b.id(), Map.of())));
        store.reports().compute(b.id()).ifPresent(c -> out.println("             compute: " + ComputeText.line(c)));
      }
    } else {
      Benchmark b = BenchmarkLookup.find(store, benchmark);
      List<Run> runs = store.runs().byBenchmark(b.id());
      Map<String, Integer> epochCounts = store.epochMetrics().countsForBenchmark(b.id());
      Map<String, AttemptTotals> trained = store.attempts().totalsForBenchmark(b.id());
      Set<String> fromBefore = store.runs().fromBeforeIds(b.id());
      Map<String, Integer> stoppedAt = store.reports().stoppedEpochs(b.id());
      out.println(b.name() + " (" + b.id() + "), " + lower(b.status().name()) + ": " + counts(runs));
      store.reports().compute(b.id()).ifPresent(c -> out.println("compute: " + ComputeText.line(c)));
      out.printf(Locale.ROOT, "%-24s %-10s %-11s %-44s %5s %6s %8s %7s %9s  %-24s %s%n", "run", "status", "",
          "model · loss variant",
          "seed", "epochs", "attempts", "trained", "seconds", "device", "error");
      for (Run r : runs) {
        int epochs = epochCounts.getOrDefault(r.id(), 0);
        AttemptTotals t = trained.getOrDefault(r.id(), new AttemptTotals(r.id(), 0, 0));
        out.printf(Locale.ROOT, "%-24s %-10s %-11s %-44s %5d %6d %8d %7d %9s  %-24s %s%n", r.id(), r.status().sqlName(),
            fromBefore.contains(r.id()) ? "from before" : "", r.model() + " · " + r.variant(),
            r.seed(), epochs, r.attempts(), t.epochsTrained(), Figures.fixed(t.trainingSeconds(), 1),
            r.device() == null ? "" : r.device(), note(stoppedAt.get(r.id()), r.error()));
      }
    }
    out.flush();
    return buffer.toString();
  }

  // a stopped run's rung, then its error text when it has one
  private static String note(Integer stoppedAt, String error) {
    String stopped = stoppedAt == null ? "" : StoppedText.run(stoppedAt);
    String text = error == null ? "" : error;
    return stopped.isEmpty() || text.isEmpty() ? stopped + text : stopped + "; " + text;
  }

  private static String counts(List<Run> runs) {
    Map<RunStatus, Integer> c = new EnumMap<>(RunStatus.class);
    runs.forEach(r -> c.merge(r.status(), 1, Integer::sum));
    return counts(c);
  }

  private static String counts(Map<RunStatus, Integer> byStatus) {
    Map<RunStatus, Integer> c = new EnumMap<>(RunStatus.class);
    c.putAll(byStatus);
    StringBuilder sb = new StringBuilder(c.values().stream().mapToInt(Integer::intValue).sum() + " runs");
    c.forEach((s, n) -> sb.append(", ").append(n).append(' ').append(s.sqlName()));
    return sb.toString();
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
