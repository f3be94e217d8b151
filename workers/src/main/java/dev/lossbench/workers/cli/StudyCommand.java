package dev.lossbench.workers.cli;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.workers.study.Study;
import dev.lossbench.workers.study.StudyInput;
import dev.lossbench.workers.study.StudyOptions;
import dev.lossbench.workers.study.StudyResult;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lossbench study BENCHMARK}: the paper's two claims checked on a benchmark's runs. */
@Command(name = "study", mixinStandardHelpOptions = true,
    description = {
      "Checks the paper's two claims on a benchmark's succeeded runs: (a) convergence — epochs and wall time for each"
          + " loss variant to reach 90%% of its best validation rSum, and validation rSum at early epochs; (b) generalisation"
          + " — test rSum per variant and dataset, and each variant's difference to VLC and to Triplet-HN; (c) a verdict per"
          + " claim (supported, not supported, inconclusive) with the numbers behind it and what it was judged against."
          + " Means over seeds with 95%% t confidence intervals; differences paired over seeds with a two-sided paired"
          + " t-test (exact sign-flip test when the differences do not vary), Holm-corrected over the unified candidates,"
          + " measures and datasets; 'not supported' needs a significant difference the other way or TOST equivalence.",
      "Exit codes: 0 success, 2 unknown benchmark, no succeeded runs, or an option naming something the benchmark lacks.",
      ""})
final class StudyCommand implements Callable<Integer> {
  enum Format { TABLE, JSON }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BENCHMARK", description = "id or name (its latest benchmark)")
  String benchmark;

  @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", converter = FormatConverter.class,
      description = "table or json (default: ${DEFAULT-VALUE})")
  Format format;

  @Option(names = "--model", paramLabel = "MODEL", description = "the model to study; default: the benchmark's only model")
  String model;

  @Option(names = "--triplet", paramLabel = "VARIANT",
      description = "the Triplet-HN reference (default: the triplet-hn variant with VSE∞'s warm-up epoch, else triplet-hn;"
          + " plain triplet-hn is judged against too when both are there)")
  String triplet;

  @Option(names = "--vlc", paramLabel = "VARIANT",
      description = "the VLC reference (default: the infonce variant; with several, the best by mean validation rSum)")
  String vlc;

  @Option(names = "--unified", paramLabel = "VARIANT",
      description = "the unified variant the verdicts judge, pre-registered: no correction for choosing (default: the best"
          + " unified variant with margin > 0 by mean validation rSum, its p-values Holm-corrected for the candidates)")
  String unified;

  @Option(names = "--datasets", split = ",", paramLabel = "NAME",
      description = "datasets to study (default: the fine-tuning stages when the matrix has any, else all)")
  List<String> datasets;

  @Option(names = "--early-epochs", split = ",", paramLabel = "EPOCH", defaultValue = "1,2",
      description = "epochs (from 1) whose validation rSum is compared (default: ${DEFAULT-VALUE})")
  List<Integer> earlyEpochs;

  @Option(names = "--threshold", paramLabel = "SHARE", defaultValue = "0.9",
      description = "share of a run's best validation rSum that counts as converged (default: ${DEFAULT-VALUE})")
  double threshold;

  @Option(names = "--alpha", paramLabel = "ALPHA", defaultValue = "0.05",
      description = "family-wise significance level, after Holm's correction (default: ${DEFAULT-VALUE})")
  double alpha;

  @Option(names = "--equivalence-rsum", paramLabel = "RSUM", defaultValue = "5",
      description = "smallest rSum difference of interest: 'not supported' without a significant difference the other"
          + " way needs TOST equivalence within this bound (default: ${DEFAULT-VALUE})")
  double equivalenceRsum;

  @Option(names = "--equivalence-epochs", paramLabel = "EPOCHS", defaultValue = "1",
      description = "the same for epochs to the threshold (default: ${DEFAULT-VALUE})")
  double equivalenceEpochs;

  @Mixin StackOptions stack;

  @Override
  public Integer call() {
    StudyOptions options;
    try {
      options = new StudyOptions(model, triplet, vlc, unified, datasets, earlyEpochs, threshold, alpha,
          equivalenceRsum, equivalenceEpochs);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    }
    StudyInput input = stack.lossbenchHome().read(store -> StudyInput.load(store, BenchmarkLookup.find(store, benchmark).id()));
    StudyResult result = Study.compute(input, options);
    if (format == Format.JSON) {
      JsonOutput.print(spec.commandLine().getOut(), result);
    } else {
      StudyText.print(spec.commandLine().getOut(), result);
    }
    return LossbenchCommand.EXIT_OK;
  }

  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      try {
        return Format.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a format: expected table or json");
      }
    }
  }
}
