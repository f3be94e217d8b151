package dev.lossbench.workers.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.schema.record.BenchmarkCompute;
import dev.lossbench.schema.record.ComparisonRow;
import dev.lossbench.schema.record.ConvergenceRow;
import dev.lossbench.schema.record.Dataset;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.schema.record.LeaderboardRow;
import dev.lossbench.schema.record.LossDeltaRow;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.record.VariantRuns;
import dev.lossbench.workers.compare.BestSet;
import dev.lossbench.workers.compare.StoredComparisons;
import dev.lossbench.workers.study.Study;
import dev.lossbench.workers.study.StudyInput;
import dev.lossbench.workers.study.StudyOptions;
import dev.lossbench.workers.study.StudyResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the HTML report shows, read from the metrics store's views and tables. The figures come
 * from the same views Grafana and {@code lossbench leaderboard} read, so the three agree. The reads
 * are not one snapshot: a report of a benchmark that is still running may be a moment apart
 * between sections.
 *
 * @param datasetNames dataset id → the name the matrix gave it (e.g. {@code scenes}), as stored with the
 *     benchmark ({@code BenchmarkRepository.datasetNames})
 * @param runs every run, ordered by dataset, model, variant and seed
 * @param primaryRsum run id → the test rSum on its dataset's primary split, for runs that have one
 * @param leaderboard the primary-split leaderboard, best mean rSum first within each panel
 * @param lossDelta each leaderboard row against the benchmark's baseline
 * @param convergence the learning curves, by panel, variant and epoch
 * @param studies the study of the paper's claims ({@code lossbench study} with its defaults), one per
 *     model that has what it needs — a unified variant and a Triplet-HN or VLC reference with succeeded
 *     runs; empty otherwise
 * @param compute what the benchmark's training cost ({@code null} when the store does not say)
 * @param comparisons the comparison engine's stored verdicts on each dataset's primary split (the rows
 *     {@code lossbench leaderboard} and Grafana read; computed and stored here for a finished benchmark without them)
 * @param best per dataset × model × split, the variants that could be the best ({@code StoredComparisons.best})
 * @param stoppedVariants the variants successive halving stopped (no leaderboard row): listed below the ranked ones
 * @param stoppedEpochs run id → the rung each stopped run was stopped at (epochs trained)
 */
public record ReportData(
    Benchmark benchmark,
    Map<String, String> datasetNames,
    List<Run> runs,
    Map<String, Double> primaryRsum,
    List<LeaderboardRow> leaderboard,
    List<LossDeltaRow> lossDelta,
    List<ConvergenceRow> convergence,
    List<StudyResult> studies,
    BenchmarkCompute compute,
    List<ComparisonRow> comparisons,
    List<BestSet.Group> best,
    List<VariantRuns> stoppedVariants,
    Map<String, Integer> stoppedEpochs) {

  public ReportData {
    stoppedVariants = List.copyOf(stoppedVariants);
    stoppedEpochs = Map.copyOf(stoppedEpochs);
    comparisons = List.copyOf(comparisons);
    best = List.copyOf(best);
    datasetNames = Map.copyOf(datasetNames);
    runs = List.copyOf(runs);
    primaryRsum = Map.copyOf(primaryRsum);
    leaderboard = List.copyOf(leaderboard);
    lossDelta = List.copyOf(lossDelta);
    convergence = List.copyOf(convergence);
    studies = List.copyOf(studies);
  }

  /**
   * Reads benchmark {@code benchmarkId} from {@code store}, in a fixed number of queries whatever the number of
   * runs.
   *
   * @throws NotFoundException when there is no such benchmark
   */
  public static ReportData load(MetricsStore store, String benchmarkId) {
    Benchmark benchmark = store.benchmarks().find(benchmarkId)
        .orElseThrow(() -> new NotFoundException("benchmark", benchmarkId));
    List<Run> runs = store.runs().byBenchmark(benchmarkId);
    Map<String, Dataset> datasets = store.datasets().forBenchmark(benchmarkId);
    Map<String, List<Result>> results = store.results().forBenchmark(benchmarkId);
    Map<String, Double> primaryRsum = new LinkedHashMap<>();
    for (Run run : runs) {
      String primarySplit = Optional.ofNullable(datasets.get(run.datasetId()))
          .map(Dataset::primarySplit)
          .orElse(DatasetDefinition.DEFAULT_PRIMARY_SPLIT);
      results.getOrDefault(run.id(), List.of()).stream()
          .filter(r -> r.split().equals(primarySplit))
          .findFirst()
          .ifPresent(r -> primaryRsum.put(run.id(), r.rsum()));
    }
    return new ReportData(benchmark, store.benchmarks().datasetNames(benchmarkId), runs, primaryRsum,
        store.reports().leaderboard(benchmarkId),
        store.reports().lossDelta(benchmarkId),
        store.reports().convergence(benchmarkId),
        studies(StudyInput.load(store, benchmarkId)),
        store.reports().compute(benchmarkId).orElse(null),
        StoredComparisons.primary(store, benchmark),
        StoredComparisons.best(store, benchmark),
        store.reports().stoppedVariants(benchmarkId),
        store.reports().stoppedEpochs(benchmarkId));
  }

  private static List<StudyResult> studies(StudyInput input) {
    List<StudyResult> studies = new ArrayList<>();
    for (String model : Study.models(input)) {
      StudyOptions defaults = StudyOptions.defaults();
      try {
        StudyResult study = Study.compute(input, new StudyOptions(model, null, null, null, null, defaults.earlyEpochs(),
            defaults.threshold(), defaults.alpha(), defaults.equivalenceRsum(), defaults.equivalenceEpochs()));
        if (study.judged() != null && (study.triplet() != null || study.vlc() != null)) {
          studies.add(study);
        }
      } catch (Study.StudyException e) {
        // nothing to study for this model (e.g. no succeeded runs on the studied datasets): no block for it
      }
    }
    return studies;
  }

  /** The matrix's description of the benchmark, if it has one. */
  public Optional<String> description() {
    JsonNode description = benchmark.spec().path("description");
    return description.isTextual() && !description.asText().isBlank()
        ? Optional.of(description.asText())
        : Optional.empty();
  }

  /** The dataset's name in the matrix, or its id when the spec does not say. */
  public String datasetName(String datasetId) {
    return datasetNames.getOrDefault(datasetId, datasetId);
  }

  /** How many runs are in each status, in the status enum's order; statuses with no run are left out. */
  public Map<RunStatus, Integer> runCounts() {
    Map<RunStatus, Integer> counts = new EnumMap<>(RunStatus.class);
    runs.forEach(run -> counts.merge(run.status(), 1, Integer::sum));
    return counts;
  }

  /** Every dataset × model that has runs or figures, in dataset then model order. */
  public List<Panel> panels() {
    Set<Panel> panels = new TreeSet<>();
    runs.forEach(r -> panels.add(new Panel(r.datasetId(), r.model())));
    leaderboard.forEach(r -> panels.add(new Panel(r.datasetId(), r.model())));
    convergence.forEach(r -> panels.add(new Panel(r.datasetId(), r.model())));
    return List.copyOf(panels);
  }

  /**
   * Every variant of the benchmark, sorted by label: the order colours are given in, so a variant
   * has the same colour in every chart.
   */
  public List<String> variants() {
    Set<String> variants = new TreeSet<>();
    runs.forEach(r -> variants.add(r.variant()));
    leaderboard.forEach(r -> variants.add(r.variant()));
    convergence.forEach(r -> variants.add(r.variant()));
    return List.copyOf(variants);
  }

  /** The panel's leaderboard, best mean rSum first. */
  public List<LeaderboardRow> leaderboard(Panel panel) {
    return leaderboard.stream().filter(r -> in(panel, r.datasetId(), r.model())).toList();
  }

  /** The panel's variants successive halving stopped, latest rung first. */
  public List<VariantRuns> stoppedVariants(Panel panel) {
    return stoppedVariants.stream().filter(v -> in(panel, v.datasetId(), v.model())).toList();
  }

  /** The panel's set of the variants that could be the best, on the split its leaderboard rows show. */
  public Optional<BestSet.Group> best(Panel panel) {
    List<LeaderboardRow> rows = leaderboard(panel);
    return rows.isEmpty()
        ? Optional.empty()
        : best.stream().filter(g -> in(panel, g.dataset(), g.model()) && g.split().equals(rows.get(0).split()))
            .findFirst();
  }

  /** The panel's variant against the baseline, if the view has a row for it. */
  public Optional<LossDeltaRow> lossDelta(Panel panel, String variant) {
    return lossDelta.stream()
        .filter(r -> in(panel, r.datasetId(), r.model()) && r.variant().equals(variant))
        .findFirst();
  }

  /** The panel's variant against the baseline in {@code measure}, if the engine compared it. */
  public Optional<ComparisonRow> comparison(Panel panel, String variant, String measure) {
    return comparisons.stream()
        .filter(r -> in(panel, r.datasetId(), r.model()) && r.variant().equals(variant) && r.measure().equals(measure))
        .findFirst();
  }

  /** The panel's comparisons in {@code measure}. */
  public List<ComparisonRow> comparisons(Panel panel, String measure) {
    return comparisons.stream().filter(r -> in(panel, r.datasetId(), r.model()) && r.measure().equals(measure))
        .toList();
  }

  /** The panel's learning curves: variant (sorted) → its epochs in order. */
  public Map<String, List<ConvergenceRow>> convergence(Panel panel) {
    Map<String, List<ConvergenceRow>> curves = new TreeMap<>();
    convergence.stream()
        .filter(r -> in(panel, r.datasetId(), r.model()))
        .forEach(r -> curves.computeIfAbsent(r.variant(), v -> new ArrayList<>()).add(r));
    return curves;
  }

  private static boolean in(Panel panel, String datasetId, String model) {
    return panel.datasetId().equals(datasetId) && panel.model().equals(model);
  }
}
