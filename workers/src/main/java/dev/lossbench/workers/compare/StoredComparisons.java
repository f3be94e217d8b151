package dev.lossbench.workers.compare;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.schema.record.BenchmarkStatus;
import dev.lossbench.schema.record.ComparisonRow;
import dev.lossbench.schema.record.SeedFigures;
import dev.lossbench.workflows.activities.LookGroup;
import dev.lossbench.workflows.activities.VariantDecision;
import dev.lossbench.workflows.matrix.AnalysisPlan;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The engine over the store: a benchmark's succeeded runs in, its {@code comparison} rows out. Written once when the
 * benchmark finishes ({@code StoreActivities.storeComparisons}); the leaderboard and the report read them back and,
 * for a finished benchmark without rows (an older release finished it), compute and store them first.
 */
public final class StoredComparisons {
  private StoredComparisons() {}

  /** Computes the benchmark's comparisons from its stored runs and replaces its stored rows with them. */
  public static List<ComparisonRow> refresh(MetricsStore store, String benchmarkId) {
    Benchmark b = store.benchmarks().find(benchmarkId)
        .orElseThrow(() -> new IllegalArgumentException("no benchmark " + benchmarkId));
    List<ComparisonRow> rows = compute(store, b);
    store.comparisons().replace(benchmarkId, rows);
    return rows;
  }

  /**
   * The benchmark's stored comparisons on each dataset's primary split; a finished benchmark without any gets them
   * computed and stored now. A running one has none until it finishes (empty list).
   */
  public static List<ComparisonRow> primary(MetricsStore store, Benchmark b) {
    if (b.status() != BenchmarkStatus.RUNNING && !store.comparisons().exists(b.id())) {
      refresh(store, b.id());
    }
    return store.comparisons().primary(b.id());
  }

  /**
   * The engine's rows for a benchmark (not stored). The baseline is the store's {@code benchmark.baseline_loss} (kept
   * up to date when a matrix is submitted again), matched as the {@code loss_delta} view matches it: the variant with
   * that label, or else the one variant whose loss is named so; α and the bounds come from the matrix's
   * {@code study:} block (defaults without one).
   */
  static List<ComparisonRow> compute(MetricsStore store, Benchmark b) {
    List<Observation> observations = store.comparisons().seedFigures(b.id()).stream()
        .map(StoredComparisons::observation).toList();
    AnalysisPlan plan = plan(b);
    Optional<String> baseline = baseline(b.baselineLoss(), observations);
    if (baseline.isEmpty()) {
      return List.of();
    }
    if (b.spec().path("adaptive").hasNonNull("seeds")) {
      // sequential seeds: each variant's decision at its own last look, as the workflow decided it
      BenchmarkSpec spec = BenchmarkSpec.fromCanonicalJson(b.spec().toString());
      return SequentialSeeds.finalDecisions(spec, baseline.get(), plan, ComparisonEngine.LEADERBOARD_MEASURES,
          observations).stream().map(c -> row(b.id(), c)).toList();
    }
    return ComparisonEngine.compare(baseline.get(), plan, ComparisonEngine.LEADERBOARD_MEASURES, observations).stream()
        .map(c -> row(b.id(), c)).toList();
  }

  /**
   * A look of the benchmark's sequential seeds ({@code StoreActivities.look}): the decisions at look {@code n} from its
   * succeeded runs' test figures.
   */
  public static List<VariantDecision> look(MetricsStore store, String benchmarkId, int n, List<LookGroup> groups) {
    Benchmark b = store.benchmarks().find(benchmarkId)
        .orElseThrow(() -> new IllegalArgumentException("no benchmark " + benchmarkId));
    BenchmarkSpec spec = BenchmarkSpec.fromCanonicalJson(b.spec().toString());
    List<Observation> observations = store.comparisons().seedFigures(b.id()).stream()
        .map(StoredComparisons::observation).toList();
    Optional<String> baseline = baseline(b.baselineLoss(), observations);
    if (baseline.isEmpty()) {
      // no baseline run succeeded: nothing can be decided
      return groups.stream().flatMap(g -> g.variants().stream()
          .map(v -> new VariantDecision(g.dataset(), g.model(), v, VariantDecision.UNDECIDED))).toList();
    }
    return SequentialSeeds.look(spec, baseline.get(), n, groups, observations);
  }

  /**
   * The engine's rows against {@code reference} instead of the matrix's baseline — every other variant compared with
   * it, paired by seed, Holm over the group — computed now and never stored: a reference picked after seeing the
   * results (the two at the top of a leaderboard, say) is a choice made on the data being tested, so these are
   * exploratory figures, not the benchmark's decisions. α and the equivalence bounds are the matrix's, relative
   * bounds resolved against the reference's mean.
   *
   * @param reference a variant label, or the name of a loss with exactly one variant among the benchmark's results
   * @throws InvalidInputException when no variant with results answers to {@code reference}
   */
  public static List<ComparisonRow> against(MetricsStore store, Benchmark b, String reference) {
    List<Observation> observations = store.comparisons().seedFigures(b.id()).stream()
        .map(StoredComparisons::observation).toList();
    Optional<String> label = baseline(reference, observations);
    if (label.isEmpty()) {
      throw new InvalidInputException("--against " + reference + ": no loss variant of " + b.name()
          + " with test results is called so; expected one of "
          + String.join(", ",
              observations.stream().map(Observation::variant).collect(Collectors.toCollection(TreeSet::new))));
    }
    return ComparisonEngine.compare(label.get(), plan(b), ComparisonEngine.LEADERBOARD_MEASURES, observations).stream()
        .map(c -> row(b.id(), c)).toList();
  }

  /**
   * Per dataset × model × split, the variants that could be the best on test rSum ({@link BestSet}) at the matrix's
   * α, from the benchmark's succeeded runs (a stopped run has no test figure and is not a candidate). None while the
   * benchmark runs, as for its comparisons: a set read off the seeds finished so far, again at every refresh, would
   * be a look the guarantee does not count.
   */
  public static List<BestSet.Group> best(MetricsStore store, Benchmark b) {
    if (b.status() == BenchmarkStatus.RUNNING) {
      return List.of();
    }
    List<Observation> observations = store.comparisons().seedFigures(b.id()).stream()
        .map(StoredComparisons::observation).toList();
    return BestSet.of(Measure.RSUM, plan(b).alpha(), observations);
  }

  /** α and the bounds: the matrix's {@code study:} block, or the defaults without one. */
  private static AnalysisPlan plan(Benchmark b) {
    return b.spec().hasNonNull("study")
        ? BenchmarkSpec.fromCanonicalJson(b.spec().toString()).analysisPlan()
        : AnalysisPlan.defaults();
  }

  private static Optional<String> baseline(String baselineLoss, List<Observation> observations) {
    Set<String> variants = observations.stream().map(Observation::variant)
        .collect(Collectors.toCollection(TreeSet::new));
    if (variants.contains(baselineLoss)) {
      return Optional.of(baselineLoss);
    }
    List<String> named = variants.stream().filter(v -> v.equals(baselineLoss) || v.startsWith(baselineLoss + ":"))
        .toList();
    return named.size() == 1 ? Optional.of(named.get(0)) : Optional.empty();
  }

  private static Observation observation(SeedFigures f) {
    return new Observation(f.datasetId(), f.model(), f.split(), f.variant(), f.seed(),
        Map.of(Measure.RSUM.name(), f.rsum(), Measure.R1_I2T.name(), f.i2tR1(), Measure.R1_T2I.name(), f.t2iR1()));
  }

  private static ComparisonRow row(String benchmarkId, Comparison c) {
    PairedResult r = c.result();
    return new ComparisonRow(benchmarkId, c.dataset(), c.model(), c.split(), false, c.measure().name(), c.variant(),
        c.baseline(), null, c.measure().kind().name().toLowerCase(Locale.ROOT), c.measure().higherIsBetter(), r.n(),
        c.baselineMean(), c.variantMean(), r.meanDelta(), r.ciLow(), r.ciHigh(), r.pAGreater(), r.pAGreaterLow(),
        r.pAGreaterHigh(), r.p(), r.pT(), c.pHolm(), r.pEquivalence(), c.pEquivalenceHolm(),
        Double.isNaN(r.bound()) ? null : r.bound(), c.alpha(), c.outcome().word(), r.test(), null);
  }
}
