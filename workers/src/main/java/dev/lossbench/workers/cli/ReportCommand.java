package dev.lossbench.workers.cli;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.workers.report.HtmlReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lossbench report BENCHMARK --out report.html}: a self-contained HTML report. */
@Command(name = "report", mixinStandardHelpOptions = true, description = {
    "Writes one self-contained HTML file (inline CSS and SVG, no network needed to open it): the leaderboard (mean ± std"
        + " over seeds, delta to the baseline), validation rSum vs epoch per loss variant with a band over seeds (the"
        + " paper's convergence comparison), train loss, final R@1/5/10 bars per direction, and every run with its error.",
    "Exit codes: 0 written, 2 unknown benchmark or unwritable file.",
    ""})
final class ReportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BENCHMARK", description = "id or name (its latest benchmark)")
  String benchmark;

  @Option(names = "--out", defaultValue = "report.html", paramLabel = "FILE", description = "default: ${DEFAULT-VALUE}")
  Path out;

  @Mixin
  StackOptions stack;

  @Override
  public Integer call() {
    // a read that a run's ending interrupts is made again, and the file written again
    Benchmark b = stack.lossbenchHome().read(store -> {
      Benchmark found = BenchmarkLookup.find(store, benchmark);
      try {
        HtmlReport.write(store, found.id(), out);
      } catch (IOException | UncheckedIOException e) {
        throw new InvalidInputException(out + ": cannot write the report (" + e.getMessage() + ")", e);
      }
      return found;
    });
    spec.commandLine().getOut().println("wrote " + out.toAbsolutePath() + " for " + b.name() + " (" + b.id() + ")");
    return LossbenchCommand.EXIT_OK;
  }
}
