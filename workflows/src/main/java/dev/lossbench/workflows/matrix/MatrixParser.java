package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.params.Param;
import dev.lossbench.retrieval.params.SpecException;
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
  /** Names of benchmarks and datasets: they become parts of workflow ids and file names. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  /** The baseline when a matrix names none (the field's standard, VSE++/VSE∞). */
  public static final String DEFAULT_BASELINE = "triplet-hn";

  private static final Param MAX_PARALLEL_RUNS = Param.integer("max_parallel_runs", 1, 1, "runs in flight at once");

  private static final SpecVariants<ModelSpec> MODELS = new SpecVariants<>("model", ModelSpec::parse, ModelSpec::of,
      m -> m.requireComplete().canonical());
  private static final SpecVariants<LossSpec> LOSSES = new SpecVariants<>("loss", LossSpec::parse, LossSpec::of,
      LossSpec::canonical);

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
      String context = e.getContext() == null
          ? ""
          : e.getContext()
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
        default -> {
        }
      }
    }
    return false;
  }

  private static MatrixException single(String source, String message) {
    return new MatrixException(List.of(new MatrixProblem(source, 0, 0, "(file)", message)));
  }

  /** One pass over one document; each block has its reader. */
  private final class Reading {
    private final Problems problems;
    private final DatasetListReader datasetList;
    private final SeedsReader seedList;

    Reading(Problems problems, Path baseDirectory) {
      this.problems = problems;
      this.datasetList = new DatasetListReader(environment, baseDirectory, problems);
      this.seedList = new SeedsReader(problems, limits);
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
      List<Long> seeds = seedList.read(top.get("seeds"));
      AdaptivePlan.SequentialSeeds sequentialSeeds = seedList.sequential();
      if (tooManyCellsBeforeExpansion(root, datasets, top.get("models"), top.get("losses"), seeds)) {
        return null;
      }
      List<String> models = variants(root, top.get("models"), MODELS, "models");
      int beforeLosses = problems.count();
      List<String> losses = variants(root, top.get("losses"), LOSSES, "losses");
      boolean lossesOk = problems.count() == beforeLosses;
      if (lossesOk) {
        datasetList.checkStages(datasets, losses);
      }
      String training = new TrainingReader(problems).read(top.get("training"));
      // a baseline can only be matched against losses that were read without mistakes
      String baseline = lossesOk ? baseline(top.get("baseline"), top.get("losses"), losses) : null;
      AnalysisPlan study = top.containsKey("study")
          ? new StudyReader(problems).read(top.get("study"), lossesOk ? losses : null)
          : null;
      AdaptivePlan.EarlyStopping earlyStopping = top.containsKey("adaptive")
          ? new AdaptiveReader(problems).read(top.get("adaptive"), training)
          : null;
      if (earlyStopping != null || sequentialSeeds != null) {
        datasetList.requireSingleStage(datasets, earlyStopping != null ? top.get("adaptive") : top.get("seeds"));
      }
      if (!problems.isEmpty()) {
        return null;
      }
      AdaptivePlan adaptive = sequentialSeeds != null || earlyStopping != null
          ? new AdaptivePlan(sequentialSeeds, earlyStopping)
          : null;
      long cells = cellCount(datasets, models, losses, seeds);
      if (cells > limits.maxCells()) {
        problems.at(root, limits.tooManyCells(cells));
        return null;
      }
      return new BenchmarkSpec(name, description, baseline, maxParallel, datasets, models, losses, seeds, training,
          study, adaptive);
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
        perModelAndSeed = MatrixLimits.saturatedSum(perModelAndSeed,
            d.losses().isEmpty() ? lossVariants : d.losses().size());
      }
      long cells = MatrixLimits.saturatedProduct(MatrixLimits.saturatedProduct(perModelAndSeed, modelVariants),
          Math.max(1, seeds.size()));
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
      return items == null ? new ArrayList<>() : datasetList.read(items);
    }

    private <S> List<String> variants(YamlValue root, YamlValue value, SpecVariants<S> reader, String key) {
      List<YamlValue> items = list(root, value, key, key + " (spec strings or maps with a name)");
      return items == null ? List.of() : reader.read(value, problems);
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

  }
}
