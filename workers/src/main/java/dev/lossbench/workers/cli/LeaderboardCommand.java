package dev.lossbench.workers.cli;

import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.schema.record.ComparisonRow;
import dev.lossbench.schema.record.LeaderboardRow;
import dev.lossbench.workers.compare.StoredComparisons;
import dev.lossbench.workers.output.LeaderboardFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code lossbench leaderboard}: the loss variants ranked by mean rSum over seeds. */
@Command(name = "leaderboard", mixinStandardHelpOptions = true, description = {
    "Prints a benchmark's leaderboard from the store's leaderboard view (the same numbers Grafana and the report show):"
        + " per dataset × model, the loss variants ranked by mean test rSum over seeds, with sample standard deviations"
        + " and R@1 in both directions, on each dataset's primary protocol; beside each variant the comparison engine's"
        + " verdict against the matrix's baseline, paired by seed: Δ rSum with its 95 %% interval, P(A>B) with its"
        + " interval, the exact sign-flip p (Holm-adjusted; the t-test's pT beside it) and the outcome (better, worse,"
        + " equivalent or undecided); the seeds column counts each variant's succeeded seeds (sequential seeds make it"
        + " differ per variant). Below the ranked variants, those successive halving stopped: the seeds they used, the"
        + " rung (stopped at epoch R) and the mean validation rSum there; no rank, no comparison. Under each group, the"
        + " variants that could be the best: no other variant is decided better than them (sign-flip, paired by seed,"
        + " α/(k − 1) per pair) — one is a decided best, several are tied for best. A finished benchmark"
        + " without stored comparisons gets them computed and stored. With --against VARIANT every variant is compared"
        + " with that one instead, computed on demand and not stored (exploratory).",
    "Exit codes: 0 success, 2 unknown benchmark or a --against that names no variant with results.",
    ""})
final class LeaderboardCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "BENCHMARK", description = "id or name; default: the latest benchmark")
  String benchmark;

  @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table, csv or json (default: ${DEFAULT-VALUE})", converter = FormatConverter.class)
  LeaderboardFormat format;

  @Option(names = "--against", paramLabel = "VARIANT", description = "compare every variant with this one (a label, or a loss with one variant) instead of the"
      + " matrix's baseline: computed now, not stored, marked exploratory — a reference chosen after seeing the"
      + " results is a choice made on the data being tested")
  String against;

  @Mixin
  StackOptions stack;

  @Override
  public Integer call() {
    // collected first: a read that a run's ending interrupts is made again, and must not print twice
    String text = stack.lossbenchHome().read(store -> {
      StringWriter buffer = new StringWriter();
      PrintWriter out = new PrintWriter(buffer);
      Benchmark b = BenchmarkLookup.find(store, benchmark);
      if (format == LeaderboardFormat.TABLE) {
        out.println(b.name() + " (" + b.id() + "), " + b.status().name().toLowerCase(Locale.ROOT));
      }
      List<LeaderboardRow> rows = store.reports().leaderboard(b.id());
      List<ComparisonRow> comparisons;
      if (against == null) {
        comparisons = StoredComparisons.primary(store, b);
      } else {
        // the leaderboard's splits only (each dataset's primary protocol), as the stored rows are read
        Set<List<String>> shown = rows.stream().map(r -> List.of(r.datasetId(), r.split())).collect(Collectors.toSet());
        comparisons = StoredComparisons.against(store, b, against).stream()
            .filter(c -> shown.contains(List.of(c.datasetId(), c.split()))).toList();
        if (format == LeaderboardFormat.TABLE) {
          out.println("EXPLORATORY: every variant against " + comparisons.stream().map(ComparisonRow::baseline)
              .findFirst().orElse(against) + " (--against), computed now and not stored; the matrix's baseline is "
              + b.baselineLoss() + ". A reference picked after seeing the results is a choice made on the data"
              + " being tested: read these as a hint, not a decision.");
        }
      }
      format.print(out, rows, comparisons, StoredComparisons.best(store, b), store.reports().stoppedVariants(b.id()),
          store.benchmarks().datasetNames(b.id()),
          against == null ? "baseline" : "reference");
      out.flush();
      return buffer.toString();
    });
    spec.commandLine().getOut().print(text);
    spec.commandLine().getOut().flush();
    return LossbenchCommand.EXIT_OK;
  }

  static final class FormatConverter implements ITypeConverter<LeaderboardFormat> {
    @Override
    public LeaderboardFormat convert(String value) {
      try {
        return LeaderboardFormat.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not a format: expected table, csv or json");
      }
    }
  }
}
