package dev.lossbench.workers.cli;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.workers.output.JsonOutput;
import dev.lossbench.workers.output.StudyText;
import dev.lossbench.workers.study.Preregistration;
import dev.lossbench.workers.study.Study;
import dev.lossbench.workers.study.StudyInput;
import dev.lossbench.workers.study.StudyOptions;
import dev.lossbench.workers.study.StudyResult;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code lossbench study BENCHMARK}: the paper's two claims checked on a benchmark's runs. */
@Command(name = "study", mixinStandardHelpOptions = true, description = {
    "Checks the paper's two claims on a benchmark's succeeded runs: (a) convergence — the area under each run's"
        + " validation-rSum curve (mean validation rSum over its epochs: the measure Claim 1 decides on), and, secondary,"
        + " epochs and wall time to 90%% of the run's own best and validation rSum at early epochs; (b) generalisation"
        + " — test rSum per variant and dataset, each variant's difference to VLC and to Triplet-HN, and Claim 2 per γ"
        + " (at τ = 1/γ and away from it); (c) a verdict per claim (supported, not supported, inconclusive) with the"
        + " numbers behind it. Differences paired over seeds and decided by the comparison engine's exact sign-flip test"
        + " (ties and floating-point noise count as ties; the t-test's p is shown beside it, deciding nothing),"
        + " Holm-corrected over the unified candidates and datasets; 'not supported' needs a significant difference the"
        + " other way or TOST equivalence. The matrix's study: block pre-registers the judged unified variant, alpha and"
        + " the equivalence bounds: an option that changes them is refused unless --exploratory.",
    "Exit codes: 0 success, 2 unknown benchmark, no succeeded runs, an option naming something the benchmark lacks,"
        + " or an option that changes the matrix's pre-registered analysis without --exploratory.",
    ""})
final class StudyCommand implements Callable<Integer> {
  enum Format {
    TABLE, JSON
  }

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BENCHMARK", description = "id or name (its latest benchmark)")
  String benchmark;

  @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", converter = FormatConverter.class, description = "table or json (default: ${DEFAULT-VALUE})")
  Format format;

  @Option(names = "--model", paramLabel = "MODEL", description = "the model to study; default: the benchmark's only model")
  String model;

  @Option(names = "--triplet", paramLabel = "VARIANT", description = "the Triplet-HN reference (default: the triplet-hn variant with VSE∞'s warm-up epoch, else triplet-hn;"
      + " plain triplet-hn is judged against too when both are there)")
  String triplet;

  @Option(names = "--vlc", paramLabel = "VARIANT", description = "the VLC reference (default: the infonce variant; with several, the best by mean validation rSum)")
  String vlc;

  @Option(names = "--unified", paramLabel = "VARIANT", description = "the unified variant the verdicts judge (default: the matrix's study: unified, else the best unified"
      + " variant with margin > 0 by mean validation rSum). Named here, after the runs exist, its p-values stay"
      + " Holm-corrected for the candidates; only the matrix's study: block pre-registers")
  String unified;

  @Option(names = "--datasets", split = ",", paramLabel = "NAME", description = "datasets to study (default: the fine-tuning stages when the matrix has any, else all)")
  List<String> datasets;

  @Option(names = "--early-epochs", split = ",", paramLabel = "EPOCH", defaultValue = "1,2", description = "epochs (from 1) whose validation rSum is compared (default: ${DEFAULT-VALUE})")
  List<Integer> earlyEpochs;

  @Option(names = "--threshold", paramLabel = "SHARE", description = "share of a run's own best validation rSum for the secondary convergence measure (default: 0.9)")
  Double threshold;

  @Option(names = "--alpha", paramLabel = "ALPHA", description = "family-wise significance level, after Holm's correction (default: the matrix's study: alpha,"
      + " else 0.05)")
  Double alpha;

  @Option(names = "--equivalence-rsum", paramLabel = "RSUM", description = "smallest rSum difference of interest: 'not supported' without a significant difference the other"
      + " way needs TOST equivalence within this bound (default: the matrix's study: bound, else 5)")
  Double equivalenceRsum;

  @Option(names = "--equivalence-epochs", paramLabel = "EPOCHS", description = "the same for epochs-valued measures (default: the matrix's study: bound, else 1)")
  Double equivalenceEpochs;

  @Option(names = "--exploratory", description = "allow options that change the matrix's pre-registered analysis; every verdict is then marked"
      + " exploratory (table, JSON and the report)")
  boolean exploratory;

  @Mixin
  StackOptions stack;

  @Override
  public Integer call() {
    StudyInput input = stack.lossbenchHome()
        .read(store -> StudyInput.load(store, BenchmarkLookup.find(store, benchmark).id()));
    StudyOptions options;
    try {
      options = Preregistration.options(input.preregistration(), model, triplet, vlc, unified, datasets, earlyEpochs,
          threshold, alpha, equivalenceRsum, equivalenceEpochs, exploratory);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    }
    StudyResult result = Study.compute(input, options);
    if (format == Format.JSON) {
      JsonOutput.print(spec.commandLine().getOut(), result);
    } else {
      StudyText.print(spec.commandLine().getOut(), result);
    }
    return LossbenchCommand.EXIT_OK;
  }

  static final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      try {
        return Format.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not a format: expected table or json");
      }
    }
  }
}
