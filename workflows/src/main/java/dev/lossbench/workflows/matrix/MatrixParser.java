package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.params.Param;
import dev.lossbench.retrieval.params.SpecException;
import dev.lossbench.retrieval.train.TrainingConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import java.util.TreeSet;
import java.math.BigDecimal;

/**
 * Reads a matrix file into a {@link BenchmarkSpec}, the one place a matrix is validated. The YAML
 * is composed into nodes (not bound to classes) so every value keeps its line and column; every
 * mistake found is collected and thrown at the end as one {@link MatrixException}. The format is
 * described in {@code package-info.java} and the README's matrix file reference.
 */
public final class MatrixParser {
  static final List<String> KEYS = List.of(
      "name", "description", "baseline", "max_parallel_runs", "datasets", "models", "losses", "seeds", "training",
      "study", "adaptive");
  /** The keys of the {@code study:} block. */
  static final List<String> STUDY_KEYS = List.of("alpha", "equivalence", "convergence", "unified", "primary");
  /** The keys of sequential seeds, {@code seeds: {min, max, step}}. */
  static final List<String> SEQUENTIAL_SEED_KEYS = List.of("min", "max", "step");
  /** The keys of the {@code adaptive:} block and of its {@code early_stopping}. */
  static final List<String> ADAPTIVE_KEYS = List.of("early_stopping");
  static final List<String> EARLY_STOPPING_KEYS = List.of("rule", "metric", "grace_epochs", "reduction_factor");
  /** Names of benchmarks and datasets: they become parts of workflow ids and file names. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  /** The baseline when a matrix names none (the field's standard, VSE++/VSE∞). */
  public static final String DEFAULT_BASELINE = "triplet-hn";

  private static final Param MAX_PARALLEL_RUNS = Param.integer("max_parallel_runs", 1, 1, "runs in flight at once");
  private static final Param SEED_COUNT = Param.integer("seeds", 1, 1, "a count N means seeds 1..N");
  private static final Param SEED = Param.integer("seed", 0, 0, "one seed");

  private static final SpecVariants<ModelSpec> MODELS =
      new SpecVariants<>("model", ModelSpec::parse, ModelSpec::of, m -> m.requireComplete().canonical());
  private static final SpecVariants<LossSpec> LOSSES =
      new SpecVariants<>("loss", LossSpec::parse, LossSpec::of, LossSpec::canonical);

  private final Map<String, String> environment;
  private final MatrixLimits limits;
  /** Deepest nesting of lists and maps a matrix may have; real ones use four or five levels. */
  static final int MAX_NESTING = 32;
  /** Aliases (*name) to lists and maps in one matrix: each may stand for a whole subtree when read. */
  private static final int MAX_ALIASES = 50;

  /** @param environment where {@code ${VAR}} in dataset paths is looked up */
  public MatrixParser(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    this.limits = MatrixLimits.from(environment);
  }

  /** Reads {@code file}, taking {@code ${VAR}} from this process's environment. */
  public static BenchmarkSpec parse(Path file) {
    return new MatrixParser(System.getenv()).read(file);
  }

  /** Reads matrix text; relative dataset paths start at the working directory. */
  public static BenchmarkSpec parse(String yaml) {
    return new MatrixParser(System.getenv()).read(yaml, "<matrix>", Path.of(""));
  }

  /** Reads {@code file}; relative dataset paths start at the file's directory. */
  public BenchmarkSpec read(Path file) {
    String source = file.toString();
    String yaml;
    try (InputStream in = Files.newInputStream(file)) {
      // read through the limit, never past it: Files.size says 0 for a device (/dev/zero) or a pipe
      byte[] bytes = in.readNBytes((int) Math.min(limits.maxBytes() + 1, Integer.MAX_VALUE - 16));
      if (bytes.length > limits.maxBytes()) {
        throw single(source, Files.isRegularFile(file) ? limits.tooLarge(Files.size(file)) : limits.tooLargeStream());
      }
      yaml = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw single(source, "does not exist: expected a matrix file (YAML)");
    } catch (CharacterCodingException e) {
      throw single(source, "is not UTF-8 text: expected a matrix file (YAML)");
    } catch (IOException e) {
      throw single(source, "cannot be read (" + e + "): expected a readable matrix file");
    }
    Path parent = file.toAbsolutePath().getParent();
    return read(yaml, source, parent != null ? parent : Path.of("").toAbsolutePath());
  }

  /**
   * Reads matrix text.
   *
   * @param source names the text in messages (a file name)
   * @param baseDirectory what relative dataset paths are resolved against
   * @throws MatrixException listing every mistake
   */
  public BenchmarkSpec read(String yaml, String source, Path baseDirectory) {
    if (yaml.length() > limits.maxBytes()) {
      throw single(source, limits.tooLarge(yaml.getBytes(StandardCharsets.UTF_8).length));
    }
    Problems problems = new Problems(source);
    Node root = compose(yaml, source, problems, limits);
    if (root == null) {
      throw problems.exception();
    }
    BenchmarkSpec spec = new Reading(problems, baseDirectory).matrix(new YamlValue(root, ""));
    problems.throwIfAny();
    return spec;
  }

  /** The document's root node, or {@code null} with the reason reported (a syntax error, an empty file). */
  private static Node compose(String yaml, String source, Problems problems, MatrixLimits limits) {
    Optional<Node> root;
    try {
      // the parser's own limit (3 MB by default) must not cut in below ours
      int codePoints = (int) Math.min(Integer.MAX_VALUE, Math.max(limits.maxBytes(), 3L << 20));
      LoadSettings settings = LoadSettings.builder().setLabel(source).setCodePointLimit(codePoints)
          .setMaxAliasesForCollections(MAX_ALIASES).setAllowRecursiveKeys(false).build();
      if (tooDeep(yaml, settings, problems)) {
        return null;
      }
      root = new Compose(settings).composeString(yaml);
    } catch (MarkedYamlEngineException e) {
      // the parser stops at its first error, so this is the one problem reported
      Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
      String context = e.getContext() == null ? "" : e.getContext()
          + e.getContextMark().map(m -> " at line " + (m.getLine() + 1)).orElse("") + ", ";
      problems.at(mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1, "(yaml)",
          "invalid YAML: " + context + e.getProblem() + ": expected a well-formed YAML document");
      return null;
    } catch (YamlEngineException e) {
      problems.at(1, 1, "(yaml)", "invalid YAML: " + e.getMessage() + ": expected a well-formed YAML document");
      return null;
    }
    if (root.isEmpty()) {
      problems.at(1, 1, "", "the file is empty: expected a mapping with the keys " + String.join(", ", KEYS));
      return null;
    }
    return root.get();
  }

  /*
   * The composer builds nodes recursively: 2,000 nested '[' in 4 KB overflow the stack. The parser's event stream is
   * not recursive, so the depth is measured on it first and a deeper document is one matrix error at its line.
   */
  private static boolean tooDeep(String yaml, LoadSettings settings, Problems problems) {
    int depth = 0;
    for (Event event : new Parse(settings).parseString(yaml)) {
      switch (event.getEventId()) {
        case SequenceStart, MappingStart -> {
          if (++depth > MAX_NESTING) {
            Mark mark = event.getStartMark().orElse(null);
            problems.at(mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1, "(yaml)",
                "lists and maps nested more than " + MAX_NESTING + " deep: expected a matrix file (a few levels)");
            return true;
          }
        }
        case SequenceEnd, MappingEnd -> depth--;
        default -> { }
      }
    }
    return false;
  }

  private static MatrixException single(String source, String message) {
    return new MatrixException(List.of(new MatrixProblem(source, 0, 0, "(file)", message)));
  }

  /** One pass over one document. */
  private final class Reading {
    private final Problems problems;
    private final Path baseDirectory;

    Reading(Problems problems, Path baseDirectory) {
      this.problems = problems;
      this.baseDirectory = baseDirectory;
    }

    BenchmarkSpec matrix(YamlValue root) {
      if (!root.isMapping()) {
        problems.at(root, "expected a mapping with the keys " + String.join(", ", KEYS) + ", got " + root.describe());
        return null;
      }
      Map<String, YamlValue> top = root.entries(problems);
      for (Map.Entry<String, YamlValue> e : top.entrySet()) {
        if (!KEYS.contains(e.getKey())) {
          problems.atKey(e.getValue(), "unknown key '" + e.getKey() + "': expected one of " + String.join(", ", KEYS));
        }
      }
      String name = name(root, top.get("name"));
      String description = optionalText(top.get("description"), "free text");
      int maxParallel = maxParallelRuns(top.get("max_parallel_runs"));
      List<DatasetSpec> datasets = datasets(root, top.get("datasets"));
      List<Long> seeds = seeds(top.get("seeds"));
      if (tooManyCellsBeforeExpansion(root, datasets, top.get("models"), top.get("losses"), seeds)) {
        return null;
      }
      List<String> models = variants(root, top.get("models"), MODELS, "models");
      int beforeLosses = problems.count();
      List<String> losses = variants(root, top.get("losses"), LOSSES, "losses");
      boolean lossesOk = problems.count() == beforeLosses;
      if (lossesOk) {
        stages(datasets, losses);
      }
      String training = training(top.get("training"));
      // a baseline can only be matched against losses that were read without mistakes
      String baseline = lossesOk ? baseline(top.get("baseline"), top.get("losses"), losses) : null;
      AnalysisPlan study = top.containsKey("study") ? study(top.get("study"), lossesOk ? losses : null) : null;
      AdaptivePlan.EarlyStopping earlyStopping = top.containsKey("adaptive")
          ? adaptive(top.get("adaptive"), training, datasets) : null;
      if (earlyStopping != null || sequentialSeeds != null) {
        singleStage(datasets, earlyStopping != null ? top.get("adaptive") : top.get("seeds"));
      }
      if (!problems.isEmpty()) {
        return null;
      }
      AdaptivePlan adaptive = sequentialSeeds != null || earlyStopping != null
          ? new AdaptivePlan(sequentialSeeds, earlyStopping) : null;
      long cells = cellCount(datasets, models, losses, seeds);
      if (cells > limits.maxCells()) {
        problems.at(root, limits.tooManyCells(cells));
        return null;
      }
      return new BenchmarkSpec(name, description, baseline, maxParallel, datasets, models, losses, seeds, training,
          study, adaptive);
    }

    /** {@code seeds: {min, max, step}} as read by {@link #seeds}; null for a count or a list. */
    private AdaptivePlan.SequentialSeeds sequentialSeeds;

    /**
     * The {@code adaptive:} block: {@code early_stopping} (successive halving over each dataset × model group's loss
     * variants). Null when the block has mistakes (reported) or says nothing.
     */
    private AdaptivePlan.EarlyStopping adaptive(YamlValue value, String training, List<DatasetSpec> datasets) {
      if (value.isNull() || !value.isMapping()) {
        problems.at(value, "got " + value.describe() + ": expected a mapping with the key early_stopping"
            + " (e.g. {early_stopping: {rule: successive-halving, grace_epochs: 1, reduction_factor: 3}})");
        return null;
      }
      Map<String, YamlValue> keys = value.entries(problems);
      for (Map.Entry<String, YamlValue> e : keys.entrySet()) {
        if (!ADAPTIVE_KEYS.contains(e.getKey())) {
          problems.atKey(e.getValue(), "unknown key '" + e.getKey() + "': expected " + String.join(", ", ADAPTIVE_KEYS));
        }
      }
      YamlValue es = keys.get("early_stopping");
      if (es == null) {
        if (keys.isEmpty()) {
          problems.at(value, "an empty adaptive block: expected the key early_stopping");
        }
        return null;
      }
      if (!es.isMapping()) {
        problems.at(es, "got " + es.describe() + ": expected a mapping with some of the keys "
            + String.join(", ", EARLY_STOPPING_KEYS) + " (rule: successive-halving)");
        return null;
      }
      int before = problems.count();
      Map<String, YamlValue> f = es.entries(problems);
      for (Map.Entry<String, YamlValue> e : f.entrySet()) {
        if (!EARLY_STOPPING_KEYS.contains(e.getKey())) {
          problems.atKey(e.getValue(), "unknown key '" + e.getKey() + "': expected one of "
              + String.join(", ", EARLY_STOPPING_KEYS));
        }
      }
      String rule = word(f.get("rule"), AdaptivePlan.SUCCESSIVE_HALVING, "the rule " + AdaptivePlan.SUCCESSIVE_HALVING);
      String metric = word(f.get("metric"), AdaptivePlan.VALIDATION_RSUM,
          "the rung metric " + AdaptivePlan.VALIDATION_RSUM + " (the rung epoch's validation rSum)");
      Integer epochs = training == null ? null : Cell.trainingConfig(training).epochs();
      YamlValue g = f.get("grace_epochs");
      int grace = g == null ? 1 : integer(g, 1, epochs == null ? Integer.MAX_VALUE : epochs - 1,
          epochs == null ? "an integer >= 1" : "an integer in [1, " + (epochs - 1) + "]: fewer than training.epochs ("
              + epochs + "), so that some rung comes before the last epoch");
      YamlValue r = f.get("reduction_factor");
      int eta = r == null ? 3 : integer(r, 2, 1000, "an integer >= 2 (η: a rung keeps the best 1/η of the variants)");
      if (g == null && epochs != null && epochs < 2) {
        problems.at(es, "training.epochs is " + epochs + ": expected at least 2 epochs for early stopping (a rung"
            + " before the last epoch)");
      }
      return problems.count() == before ? new AdaptivePlan.EarlyStopping(rule, metric, grace, eta) : null;
    }

    /** An adaptive matrix has one stage in this version: its decisions are per dataset × model group of cold runs. */
    private void singleStage(List<DatasetSpec> datasets, YamlValue at) {
      for (DatasetSpec d : datasets) {
        if (d.init() != null && d.init().fromStage()) {
          YamlValue item = datasetItems.get(d.name());
          problems.at(at, "dataset " + d.name() + " (line " + item.line() + ") is a fine-tuning stage (init.from):"
              + " expected a single-stage matrix for an adaptive one (early stopping, sequential seeds)");
          return;
        }
      }
    }

    /** A scalar that must be {@code only} (the one choice of this version); {@code only} when absent. */
    private String word(YamlValue value, String only, String expected) {
      if (value == null || value.isNull()) {
        return only;
      }
      if (!value.isScalar() || !value.text().trim().equals(only)) {
        problems.at(value, "got " + value.describe() + ": expected " + expected);
      }
      return only;
    }

    /** An integer in [min, max]; {@code min} (reported) otherwise. */
    private int integer(YamlValue value, int min, int max, String expected) {
      if (value.isScalar()) {
        try {
          long v = Long.parseLong(value.text().trim());
          if (v >= min && v <= max) {
            return (int) v;
          }
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      problems.at(value, "got " + value.describe() + ": expected " + expected);
      return min;
    }

    /** {@code seeds: {min, max, step}}: seeds 1..max, looks at min, min+step, …, max. */
    private List<Long> sequential(YamlValue value) {
      List<Long> seeds = new ArrayList<>();
      Map<String, YamlValue> keys = value.entries(problems);
      int before = problems.count();
      for (Map.Entry<String, YamlValue> e : keys.entrySet()) {
        if (!SEQUENTIAL_SEED_KEYS.contains(e.getKey())) {
          problems.atKey(e.getValue(), "unknown key '" + e.getKey() + "': expected min, max and step"
              + " (sequential seeds: seeds 1..max, a look at min, min+step, …, max)");
        }
      }
      YamlValue minValue = keys.get("min");
      YamlValue maxValue = keys.get("max");
      if (minValue == null || maxValue == null) {
        problems.at(value, "sequential seeds without " + (minValue == null ? "min" : "max")
            + ": expected {min: N, max: M, step: S} with 2 <= N <= M (step default 1)");
        return seeds;
      }
      int min = integer(minValue, 2, Integer.MAX_VALUE, "an integer >= 2: the seeds of the first look"
          + " (a paired comparison needs two)");
      int max = integer(maxValue, 2, Integer.MAX_VALUE, "an integer >= min: seeds 1..max at most");
      YamlValue stepValue = keys.get("step");
      int step = stepValue == null ? 1 : integer(stepValue, 1, Integer.MAX_VALUE, "an integer >= 1: seeds added per look");
      if (problems.count() == before && max < min) {
        problems.at(maxValue, "max " + max + " is below min " + min + ": expected min <= max");
      } else if (problems.count() == before && max > limits.maxCells()) {
        // checked before the list is built: each seed is at least one run
        problems.at(maxValue, "seeds " + max + " " + limits.tooManyCells(max));
      }
      if (problems.count() != before) {
        return seeds;
      }
      sequentialSeeds = new AdaptivePlan.SequentialSeeds(min, max, step);
      for (long s = 1; s <= max; s++) {
        seeds.add(s);
      }
      return seeds;
    }

    /**
     * The {@code study:} block (see {@link AnalysisPlan}); keys left out take their defaults. {@code losses} is null
     * when the loss list had mistakes (the unified labels are then not matched).
     */
    private AnalysisPlan study(YamlValue value, List<String> losses) {
      AnalysisPlan defaults = AnalysisPlan.defaults();
      if (value.isNull()) {
        return defaults;
      }
      if (!value.isMapping()) {
        problems.at(value, "expected a mapping with some of the keys " + String.join(", ", STUDY_KEYS) + ", got "
            + value.describe());
        return null;
      }
      int before = problems.count();
      Map<String, YamlValue> keys = value.entries(problems);
      for (Map.Entry<String, YamlValue> e : keys.entrySet()) {
        if (!STUDY_KEYS.contains(e.getKey())) {
          problems.atKey(e.getValue(), "unknown key '" + e.getKey() + "': expected one of " + String.join(", ", STUDY_KEYS));
        }
      }
      double alpha = studyAlpha(keys.get("alpha"), defaults.alpha());
      Map<String, AnalysisPlan.EquivalenceBound> equivalence = equivalence(keys.get("equivalence"));
      String convergence = defaults.convergence();
      YamlValue c = keys.get("convergence");
      if (c != null && !c.isNull()) {
        if (!c.isScalar() || !AnalysisPlan.CONVERGENCE_MEASURES.contains(c.text())) {
          problems.at(c, "got " + c.describe() + ": expected one of " + String.join(", ", AnalysisPlan.CONVERGENCE_MEASURES));
        } else {
          convergence = c.text();
        }
      }
      List<String> unified = unified(keys.get("unified"), losses);
      List<String> primary = primary(keys.get("primary"), defaults.primary());
      return problems.count() == before ? new AnalysisPlan(alpha, equivalence, convergence, unified, primary) : null;
    }

    private double studyAlpha(YamlValue value, double defaultAlpha) {
      if (value == null || value.isNull()) {
        return defaultAlpha;
      }
      double alpha = value.isScalar() ? number(value.text()) : Double.NaN;
      if (!(alpha > 0 && alpha <= 0.5)) {
        problems.at(value, "got " + value.describe() + ": expected the family-wise level, a number in (0, 0.5] such as 0.05");
        return defaultAlpha;
      }
      return alpha;
    }

    private static double number(String text) {
      try {
        return new BigDecimal(text.trim()).doubleValue();
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }

    private Map<String, AnalysisPlan.EquivalenceBound> equivalence(YamlValue value) {
      Map<String, AnalysisPlan.EquivalenceBound> bounds = new LinkedHashMap<>();
      if (value == null || value.isNull()) {
        return bounds;
      }
      if (!value.isMapping()) {
        problems.at(value, "got " + value.describe() + ": expected a mapping of measure to bound (rsum: 5, or rsum: 2%)");
        return bounds;
      }
      for (Map.Entry<String, YamlValue> e : value.entries(problems).entrySet()) {
        if (!AnalysisPlan.measures().contains(e.getKey())) {
          problems.atKey(e.getValue(), "unknown measure '" + e.getKey() + "': expected one of "
              + String.join(", ", AnalysisPlan.measures()));
          continue;
        }
        YamlValue v = e.getValue();
        try {
          if (!v.isScalar()) {
            throw new IllegalArgumentException("got " + v.describe() + ": expected a positive number in the measure's"
                + " units (rsum: 5) or a percentage of the baseline's mean in (0, 100] (rsum: 2%)");
          }
          bounds.put(e.getKey(), AnalysisPlan.EquivalenceBound.parse(v.text()));
        } catch (IllegalArgumentException ex) {
          problems.at(v, ex.getMessage());
        }
      }
      return bounds;
    }

    /** Labels of unified loss variants of the matrix, each named by its label or its spec written any way. */
    private List<String> unified(YamlValue value, List<String> losses) {
      List<String> labels = new ArrayList<>();
      if (value == null || value.isNull()) {
        return labels;
      }
      List<YamlValue> items = value.isSequence() ? value.items() : value.isScalar() ? List.of(value) : null;
      if (items == null) {
        problems.at(value, "got " + value.describe() + ": expected a list of unified loss variants of the matrix (labels)");
        return labels;
      }
      if (losses == null) {
        return labels;
      }
      List<LossSpec> unifiedVariants = losses.stream().map(LossSpec::parse)
          .filter(l -> l.name() == LossSpec.Name.UNIFIED).toList();
      String choices = unifiedVariants.isEmpty() ? "none: the matrix has no unified variant"
          : String.join(", ", unifiedVariants.stream().map(LossSpec::label).toList());
      for (YamlValue item : items) {
        String wanted = item.isScalar() ? item.text().trim() : null;
        String label = wanted == null ? null : unifiedVariants.stream()
            .filter(l -> l.label().equals(wanted) || sameSpec(l, wanted)).map(LossSpec::label).findFirst().orElse(null);
        if (label == null) {
          problems.at(item, "got " + item.describe() + ": expected a unified loss variant of the matrix (" + choices + ")");
        } else if (labels.contains(label)) {
          problems.at(item, "'" + label + "' is listed twice: expected each variant once");
        } else {
          labels.add(label);
        }
      }
      return labels;
    }

    private static boolean sameSpec(LossSpec variant, String wanted) {
      try {
        return LossSpec.parse(wanted).equals(variant);
      } catch (SpecException e) {
        return false;
      }
    }

    private List<String> primary(YamlValue value, List<String> defaultPrimary) {
      if (value == null || value.isNull()) {
        return defaultPrimary;
      }
      List<YamlValue> items = value.isSequence() ? value.items() : value.isScalar() ? List.of(value) : null;
      String expected = "a list of measures, some of " + String.join(", ", AnalysisPlan.measures());
      if (items == null || items.isEmpty()) {
        problems.at(value, "got " + (items == null ? value.describe() : "an empty list") + ": expected " + expected);
        return defaultPrimary;
      }
      List<String> primary = new ArrayList<>();
      for (YamlValue item : items) {
        if (!item.isScalar() || !AnalysisPlan.measures().contains(item.text())) {
          problems.at(item, "got " + item.describe() + ": expected " + expected);
        } else if (primary.contains(item.text())) {
          problems.at(item, "'" + item.text() + "' is listed twice: expected each measure once");
        } else {
          primary.add(item.text());
        }
      }
      return primary;
    }

    /*
     * From list lengths alone, before any sweep is expanded: a 25 KB matrix can sweep 2,000 × 2,000 values. The
     * count is the one below for a valid matrix (each dataset trains with every variant or with its own list); a
     * variant list longer than the limit is refused too, whatever the datasets (each variant is at least one run).
     */
    private boolean tooManyCellsBeforeExpansion(YamlValue root, List<DatasetSpec> datasets, YamlValue models,
        YamlValue losses, List<Long> seeds) {
      long modelVariants = SpecVariants.count(models);
      long lossVariants = SpecVariants.count(losses);
      long perModelAndSeed = 0;
      for (DatasetSpec d : datasets) {
        perModelAndSeed = MatrixLimits.saturatedSum(perModelAndSeed, d.losses().isEmpty() ? lossVariants : d.losses().size());
      }
      long cells = MatrixLimits.saturatedProduct(MatrixLimits.saturatedProduct(perModelAndSeed, modelVariants), Math.max(1, seeds.size()));
      if (cells > limits.maxCells()) {
        problems.at(root, limits.tooManyCells(cells));
        return true;
      }
      return tooManyVariants(models, "models", modelVariants) || tooManyVariants(losses, "losses", lossVariants);
    }

    private boolean tooManyVariants(YamlValue list, String key, long variants) {
      if (variants > limits.maxCells()) {
        problems.at(list, key + " " + limits.tooManyCells(variants));
        return true;
      }
      return false;
    }

    /** datasets × models × losses × seeds, counted without building a cell (a dataset's own losses restrict it). */
    private long cellCount(List<DatasetSpec> datasets, List<String> models, List<String> losses, List<Long> seeds) {
      long perModelAndSeed = 0;
      for (DatasetSpec d : datasets) {
        perModelAndSeed += losses.stream().filter(d::trainsWith).count();
      }
      return perModelAndSeed * models.size() * seeds.size();
    }

    private String name(YamlValue root, YamlValue value) {
      String expected = "the benchmark's name matching " + NAME.pattern();
      if (value == null || !value.isScalar()) {
        problems.at(value == null ? root : value, "name", (value == null ? "missing" : "got " + value.describe())
            + ": expected " + expected);
        return null;
      }
      if (!NAME.matcher(value.text()).matches()) {
        problems.at(value, "'" + value.text() + "' is not a valid name: expected " + expected
            + " (it becomes part of workflow ids)");
      }
      return value.text();
    }

    private String optionalText(YamlValue value, String expected) {
      if (value == null || value.isNull()) {
        return "";
      }
      if (!value.isScalar()) {
        problems.at(value, "expected " + expected + ", got " + value.describe());
        return "";
      }
      return value.text();
    }

    private int maxParallelRuns(YamlValue value) {
      if (value == null) {
        return (Integer) MAX_PARALLEL_RUNS.defaultValue();
      }
      try {
        if (!value.isScalar()) {
          throw new SpecException("expected " + MAX_PARALLEL_RUNS.allowed() + ", got " + value.describe());
        }
        return (Integer) MAX_PARALLEL_RUNS.parse("matrix", value.text());
      } catch (SpecException e) {
        problems.at(value, e.getMessage());
        return 1;
      }
    }

    /** A required, non-empty list; {@code null} (reported) otherwise. */
    private List<YamlValue> list(YamlValue root, YamlValue value, String key, String expected) {
      if (value == null || !value.isSequence()) {
        problems.at(value == null ? root : value, key, (value == null ? "missing" : "got " + value.describe())
            + ": expected a list of " + expected);
        return null;
      }
      if (value.items().isEmpty()) {
        problems.at(value, "empty list: expected at least one of " + expected);
        return null;
      }
      return value.items();
    }

    private List<DatasetSpec> datasets(YamlValue root, YamlValue value) {
      List<YamlValue> items = list(root, value, "datasets", "datasets (maps with name, kind and the kind's keys)");
      List<DatasetSpec> datasets = new ArrayList<>();
      if (items == null) {
        return datasets;
      }
      DatasetReader reader = new DatasetReader(environment, baseDirectory, problems);
      Map<String, YamlValue> names = new HashMap<>();
      Map<String, YamlValue> identities = new HashMap<>();
      for (YamlValue item : items) {
        DatasetSpec d = reader.read(item);
        if (d == null) {
          continue;
        }
        YamlValue sameName = names.putIfAbsent(d.name(), item);
        // a fine-tuning stage may use the same data as another stage (a different start)
        YamlValue sameData = identities.putIfAbsent(d.identity() + (d.init() == null ? "" : " init " + d.init()), item);
        if (sameName != null) {
          problems.at(item, item.child("name"), "duplicate dataset name '" + d.name() + "' (first at line "
              + sameName.line() + "): expected unique names");
        } else if (sameData != null) {
          problems.at(item, "the same data as " + sameData.field() + " (line " + sameData.line()
              + "): expected each dataset once (list all its protocols in one entry)");
        } else {
          datasets.add(d);
          datasetItems.put(d.name(), item);
        }
      }
      return datasets;
    }

    private final Map<String, YamlValue> datasetItems = new HashMap<>();

    /**
     * Each dataset's {@code init}: {@code from} names another dataset of the matrix, {@code loss}
     * one of its loss variants, and no chain of {@code from}s comes back to where it started.
     */
    private void stages(List<DatasetSpec> datasets, List<String> losses) {
      Map<String, DatasetSpec> byName = new LinkedHashMap<>();
      datasets.forEach(d -> byName.put(d.name(), d));
      for (DatasetSpec d : datasets) {
        YamlValue item = datasetItems.get(d.name());
        for (String l : d.losses()) {
          if (!losses.contains(l)) {
            problems.at(item, item.child("losses"), "losses: " + LossSpec.parse(l).label()
                + " is not a loss variant of the matrix: expected some of " + labels(losses));
          }
        }
        StageInit init = d.init();
        if (init == null || !init.fromStage()) {
          continue;
        }
        if (init.from().equals(d.name())) {
          problems.at(item, item.child("init"), "init.from names the dataset itself: expected another dataset of the matrix");
        } else if (!byName.containsKey(init.from())) {
          problems.at(item, item.child("init"), "init.from: unknown dataset '" + init.from() + "': expected one of "
              + String.join(", ", byName.keySet().stream().filter(n -> !n.equals(d.name())).toList()));
        }
        if (init.loss() != null && !losses.contains(init.loss())) {
          problems.at(item, item.child("init"), "init.loss: " + LossSpec.parse(init.loss()).label()
              + " is not a loss variant of the matrix (the parent cells must exist): expected one of " + labels(losses));
        } else if (byName.containsKey(init.from()) && losses.containsAll(byName.get(init.from()).losses())) {
          // the parent cells must exist: the parent stage trains with the variant(s) the children start from
          DatasetSpec parent = byName.get(init.from());
          List<String> needed = init.loss() != null ? List.of(init.loss())
              : losses.stream().filter(d::trainsWith).toList();
          List<String> missing = needed.stream().filter(l -> !parent.trainsWith(l)).toList();
          if (!missing.isEmpty()) {
            problems.at(item, item.child("init"), "init: dataset " + parent.name() + " does not train with "
                + labels(missing) + " (its losses: " + labels(parent.losses()) + "), so these cells would have no parent:"
                + " expected init.loss naming one of its variants, or those variants in its losses");
          }
        }
      }
      // a cycle: following from, a dataset is reached again
      Set<String> reported = new HashSet<>();
      for (DatasetSpec d : datasets) {
        List<String> chain = new ArrayList<>(List.of(d.name()));
        DatasetSpec at = d;
        while (at.init() != null && at.init().fromStage() && byName.containsKey(at.init().from()) && !at.init().from().equals(at.name())) {
          String next = at.init().from();
          if (chain.contains(next)) {
            List<String> cycle = new ArrayList<>(chain.subList(chain.indexOf(next), chain.size()));
            cycle.add(next);
            if (next.equals(d.name()) && reported.add(String.join(",", new TreeSet<>(cycle)))) {
              YamlValue item = datasetItems.get(d.name());
              problems.at(item, item.child("init"), "datasets start from each other in a cycle ("
                  + String.join(" → ", cycle) + "): expected each to start from an earlier stage or cold");
            }
            break;
          }
          chain.add(next);
          at = byName.get(next);
        }
      }
    }

    private static String labels(List<String> canonicalLosses) {
      return String.join(", ", canonicalLosses.stream().map(l -> LossSpec.parse(l).label()).toList());
    }

    private <S> List<String> variants(YamlValue root, YamlValue value, SpecVariants<S> reader, String key) {
      List<YamlValue> items = list(root, value, key, key + " (spec strings or maps with a name)");
      return items == null ? List.of() : reader.read(value, problems);
    }

    private List<Long> seeds(YamlValue value) {
      if (value == null) {
        return List.of(1L);
      }
      List<Long> seeds = new ArrayList<>();
      if (value.isScalar()) {
        try {
          int n = (Integer) SEED_COUNT.parse("matrix", value.text());
          if (n > limits.maxCells()) {
            // checked before the list is built: each seed is at least one run
            problems.at(value, "seeds " + n + " " + limits.tooManyCells(n));
            return seeds;
          }
          for (long s = 1; s <= n; s++) {
            seeds.add(s);
          }
        } catch (SpecException e) {
          problems.at(value, e.getMessage() + " (a count N means seeds 1..N), or a list of seeds");
        }
        return seeds;
      }
      if (value.isMapping()) {
        return sequential(value);
      }
      if (!value.isSequence()) {
        problems.at(value, "expected a count N (seeds 1..N), a list of seeds (integers >= 0) or sequential seeds"
            + " {min: N, max: M, step: S}, got " + value.describe());
        return seeds;
      }
      if (value.items().isEmpty()) {
        problems.at(value, "empty list: expected at least one seed (an integer >= 0)");
      }
      Map<Long, YamlValue> seen = new HashMap<>();
      for (YamlValue item : value.items()) {
        try {
          if (!item.isScalar()) {
            throw new SpecException("expected a seed (" + SEED.allowed() + "), got " + item.describe());
          }
          long seed = (Integer) SEED.parse("seeds", item.text());
          YamlValue first = seen.putIfAbsent(seed, item);
          if (first != null) {
            problems.at(item, "seed " + seed + " is listed twice (first at line " + first.line()
                + "): expected distinct seeds");
          } else {
            seeds.add(seed);
          }
        } catch (SpecException e) {
          problems.at(item, e.getMessage());
        }
      }
      return seeds;
    }

    /** Training settings are shared by every cell: a list here would be a sweep the store cannot tell apart. */
    private String training(YamlValue value) {
      if (value == null || value.isNull()) {
        return TrainingConfig.defaults().canonical();
      }
      if (!value.isMapping()) {
        problems.at(value, "expected a map of training settings (" + trainingKeys() + "), got " + value.describe());
        return null;
      }
      Map<String, String> raw = new LinkedHashMap<>();
      for (Map.Entry<String, YamlValue> f : value.entries(problems).entrySet()) {
        YamlValue v = f.getValue();
        Optional<Param> known = TrainingConfig.PARAMS.stream().filter(p -> p.key().equals(f.getKey())).findFirst();
        if (known.isPresent() && !v.isScalar() && !v.isNull()) {
          problems.at(v, "expected " + known.get().allowed() + ", got " + v.describe()
              + (v.isSequence() ? " (training settings are shared by every cell and do not sweep:"
                  + " write one matrix per setting to compare them)" : ""));
          continue;
        }
        try {
          TrainingConfig.fromMap(Map.of(f.getKey(), v.isScalar() || v.isNull() ? v.text() : "?"));
          raw.put(f.getKey(), v.text());
        } catch (SpecException e) {
          if (known.isPresent()) {
            problems.at(v, e.getMessage());
          } else {
            problems.atKey(v, e.getMessage());
          }
        }
      }
      try {
        return TrainingConfig.fromMap(raw).canonical();
      } catch (SpecException e) {
        return null; // every key was reported above
      }
    }

    /**
     * The label of the loss variant deltas are computed against: the variant with that label, or
     * whose spec, written any way, is the same, or the one variant of the loss so named.
     */
    private String baseline(YamlValue value, YamlValue lossList, List<String> losses) {
      List<LossSpec> variants = losses.stream().map(LossSpec::parse).toList();
      String labels = String.join(", ", variants.stream().map(LossSpec::label).toList());
      if (value != null && !value.isScalar()) {
        problems.at(value, "expected a loss label (one of " + labels + "), got " + value.describe());
        return null;
      }
      String wanted = value == null ? DEFAULT_BASELINE : value.text().trim();
      for (LossSpec v : variants) {
        if (v.label().equals(wanted)) {
          return v.label();
        }
      }
      try {
        LossSpec spelled = LossSpec.parse(wanted);
        for (LossSpec v : variants) {
          if (v.equals(spelled)) {
            return v.label();
          }
        }
      } catch (SpecException e) {
        // not a spec: it may still be a loss name, or nothing at all (reported below)
      }
      List<LossSpec> named = variants.stream().filter(v -> v.name().id().equals(wanted)).toList();
      if (named.size() == 1) {
        return named.get(0).label();
      }
      if (value == null) {
        if (named.isEmpty()) {
          return variants.get(0).label(); // no triplet-hn in the matrix: compare with the first loss listed
        }
        problems.at(lossList, "baseline", "no baseline given and the default '" + DEFAULT_BASELINE + "' names "
            + named.size() + " variants: expected a line 'baseline: LABEL' naming one of " + labels);
        return null;
      }
      problems.at(value, named.isEmpty()
          ? "'" + wanted + "' matches no loss of the matrix: expected one of " + labels
              + " (a label, or the name of a loss with one variant)"
          : "'" + wanted + "' names " + named.size() + " variants: expected one label of " + labels);
      return null;
    }

    private String trainingKeys() {
      return String.join(", ", TrainingConfig.PARAMS.stream().map(Param::key).toList());
    }
  }
}
