package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.train.TrainingConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A validated matrix: immutable, plain data (so it can be a workflow argument as it is), built by
 * {@link MatrixParser} or read back from {@link #toCanonicalJson()} with {@link #fromCanonicalJson}.
 *
 * @param name the benchmark's name, {@code [a-z0-9][a-z0-9._-]*}
 * @param description free text, {@code ""} when not given
 * @param baseline the label of the loss variant the {@code loss_delta} view compares with
 * @param maxParallelRuns runs in flight at once
 * @param datasets in matrix order
 * @param models canonical model specs ({@link ModelSpec#canonical()}), sweeps expanded, in matrix order
 * @param losses canonical loss specs ({@link LossSpec#canonical()}), sweeps expanded, in matrix order
 * @param seeds in matrix order
 * @param training canonical training settings ({@link TrainingConfig#canonical()}), shared by every cell
 * @param study the matrix's {@code study:} block (the pre-registered analysis); null when the matrix has none
 *     ({@link #analysisPlan()} then gives the defaults)
 * @param adaptive sequential seeds and/or early stopping ({@code seeds: {min, max, step}}, {@code adaptive:}); null
 *     for a matrix that trains every cell in full. With sequential seeds, {@code seeds} is {@code 1..max}.
 */
public record BenchmarkSpec(String name, String description, String baseline, int maxParallelRuns,
    List<DatasetSpec> datasets, List<String> models, List<String> losses, List<Long> seeds, String training,
    AnalysisPlan study, AdaptivePlan adaptive) {

  /** A matrix that trains every cell in full. */
  public BenchmarkSpec(String name, String description, String baseline, int maxParallelRuns,
      List<DatasetSpec> datasets, List<String> models, List<String> losses, List<Long> seeds, String training,
      AnalysisPlan study) {
    this(name, description, baseline, maxParallelRuns, datasets, models, losses, seeds, training, study, null);
  }

  /** A matrix without a {@code study:} block. */
  public BenchmarkSpec(String name, String description, String baseline, int maxParallelRuns,
      List<DatasetSpec> datasets, List<String> models, List<String> losses, List<Long> seeds, String training) {
    this(name, description, baseline, maxParallelRuns, datasets, models, losses, seeds, training, null);
  }

  public BenchmarkSpec {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    Objects.requireNonNull(baseline, "baseline");
    if (maxParallelRuns < 1) {
      throw new IllegalArgumentException("maxParallelRuns must be at least 1, got " + maxParallelRuns);
    }
    datasets = List.copyOf(datasets);
    models = List.copyOf(models);
    losses = List.copyOf(losses);
    seeds = List.copyOf(seeds);
    Objects.requireNonNull(training, "training");
  }

  /**
   * Every run of the benchmark: datasets × models × losses × seeds (a dataset's own {@code losses} restricting its
   * variants), the dataset varying slowest
   * and the seed fastest, each in matrix order — except that datasets are in {@link #stageOrder()},
   * so a fine-tuning cell always comes after its parent. The same matrix always gives the same list.
   */
  public List<Cell> cells() {
    List<Cell> cells = new ArrayList<>(datasets.size() * models.size() * losses.size() * seeds.size());
    Map<String, String> ids = new HashMap<>();
    for (DatasetSpec d : stageOrder()) {
      for (String m : models) {
        for (String l : losses) {
          if (!d.trainsWith(l)) {
            continue;
          }
          for (long s : seeds) {
            StageInit init = d.init();
            Cell c;
            if (init == null) {
              c = new Cell(d, m, l, s, training);
            } else if (!init.fromStage()) {
              c = new Cell(d, m, l, s, training, null, init.freeze());
            } else {
              String parent = ids.get(key(init.from(), m, init.loss() != null ? init.loss() : l, s));
              if (parent == null) {
                throw new IllegalStateException("dataset " + d.name() + ": no parent cell on " + init.from());
              }
              c = new Cell(d, m, l, s, training, parent, init.freeze());
            }
            ids.put(key(d.name(), m, l, s), c.id());
            cells.add(c);
          }
        }
      }
    }
    return List.copyOf(cells);
  }

  private static String key(String dataset, String model, String loss, long seed) {
    return dataset + "\n" + model + "\n" + loss + "\n" + seed;
  }

  /**
   * The datasets in matrix order, except that a dataset whose cells start from another's comes
   * after it (a stable topological order; the parser has rejected cycles and unknown names).
   */
  public List<DatasetSpec> stageOrder() {
    List<DatasetSpec> ordered = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    while (ordered.size() < datasets.size()) {
      boolean progress = false;
      for (DatasetSpec d : datasets) {
        if (!placed.contains(d.name())
            && (d.init() == null || !d.init().fromStage() || placed.contains(d.init().from()))) {
          ordered.add(d);
          placed.add(d.name());
          progress = true;
        }
      }
      if (!progress) {
        throw new IllegalStateException("datasets start from each other in a cycle or from unknown ones: " + datasets);
      }
    }
    return ordered;
  }

  /** The cell with this {@link Cell#id()}, if the benchmark has it. */
  public Optional<Cell> cell(String id) {
    return cells().stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /**
   * 20 hex characters of SHA-256 over the name, the set of cell ids and the {@code study:} block when there is
   * one, for the workflow id {@code benchmark-NAME-HASH}. Equal for matrices that run the same cells with the same
   * declared analysis: list order, spellings, dataset names, the description, the baseline and
   * {@code max_parallel_runs} do not change it (the last three are updated in the store when a matrix is submitted
   * again). A matrix without {@code study:} hashes as before the block existed, so old benchmarks keep their ids; the
   * same for the adaptive plan ({@code adaptive:}, {@code seeds: {min, max, step}}).
   */
  public String specHash() {
    return Digest.of("lossbench-benchmark v1\nname " + name + "\n"
        + cells().stream().map(c -> "cell " + c.id()).sorted().collect(Collectors.joining("\n"))
        + (study == null ? "" : "\nstudy " + study.canonical())
        + (adaptive == null ? "" : "\nadaptive " + adaptive.canonical()));
  }

  /**
   * The seeds every cell starts with: with sequential seeds the first {@code min} (more are added look by look),
   * otherwise every seed.
   */
  public List<Long> firstSeeds() {
    return adaptive == null || adaptive.seeds() == null ? seeds : seeds.subList(0, adaptive.seeds().min());
  }

  /** The cells a submission registers: those of {@link #firstSeeds()} (all cells but with sequential seeds). */
  public List<Cell> firstCells() {
    List<Long> first = firstSeeds();
    return first.size() == seeds.size() ? cells() : cells().stream().filter(c -> first.contains(c.seed())).toList();
  }

  /** Whether the workflow decides which cells train and how far ({@link #adaptive()}). */
  public boolean trainsAdaptively() {
    return adaptive != null;
  }

  /** Whether the matrix declares its analysis (a {@code study:} block). */
  public boolean preRegistered() {
    return study != null;
  }

  /** The declared analysis, or {@link AnalysisPlan#defaults()} when the matrix has no {@code study:} block. */
  public AnalysisPlan analysisPlan() {
    return study != null ? study : AnalysisPlan.defaults();
  }

  /** The dataset named so in the matrix. */
  public Optional<DatasetSpec> dataset(String datasetName) {
    return datasets.stream().filter(d -> d.name().equals(datasetName)).findFirst();
  }

  public List<ModelSpec> modelSpecs() {
    return models.stream().map(ModelSpec::parse).toList();
  }

  public List<LossSpec> lossSpecs() {
    return losses.stream().map(LossSpec::parse).toList();
  }

  public TrainingConfig trainingConfig() {
    return Cell.trainingConfig(training);
  }

  /**
   * The validated matrix as JSON with sorted, fully resolved parameters (defaults included), labels
   * and cell ids, for the store's {@code benchmark.spec} column. Reads back with
   * {@link #fromCanonicalJson}.
   */
  public String toCanonicalJson() {
    return SpecJson.write(this);
  }

  /** Reads {@link #toCanonicalJson()} back (e.g. to resume a benchmark from the store's copy). */
  public static BenchmarkSpec fromCanonicalJson(String json) {
    return SpecJson.read(json);
  }
}
