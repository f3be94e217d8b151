package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.DatasetKind;
import dev.lossbench.retrieval.data.MsrvttDataset;
import dev.lossbench.retrieval.data.PrecompDataset;
import dev.lossbench.retrieval.data.SyntheticConfig;
import dev.lossbench.retrieval.eval.EvaluationProtocol;
import dev.lossbench.retrieval.io.CheckpointFile;
import dev.lossbench.retrieval.io.CheckpointFile.CheckpointFileException;
import dev.lossbench.retrieval.io.PathTemplate;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.params.Param;
import dev.lossbench.retrieval.params.Params;
import dev.lossbench.retrieval.params.SpecException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads one entry of {@code datasets:} into a {@link DatasetSpec}, reporting every mistake in it. */
final class DatasetReader {
  private static final Param CAPTIONS_PER_IMAGE = Param.integer("captions_per_image",
      PrecompDataset.DEFAULT_CAPTIONS_PER_IMAGE, 1, "consecutive captions per image");
  private static final Param MAX_FRAMES = Param.integer("max_frames", MsrvttDataset.DEFAULT_MAX_FRAMES, 1,
      "frame slots per video");

  private final Map<String, String> environment;
  private final Path baseDirectory;
  private final Problems problems;

  /**
   * @param environment where {@code ${VAR}} in paths come from
   * @param baseDirectory what relative paths are resolved against (the matrix file's directory)
   */
  DatasetReader(Map<String, String> environment, Path baseDirectory, Problems problems) {
    this.environment = environment;
    this.baseDirectory = baseDirectory;
    this.problems = problems;
  }

  /** The dataset, or {@code null} when the entry has mistakes (all of them reported). */
  DatasetSpec read(YamlValue entry) {
    if (!entry.isMapping()) {
      problems.at(entry, "expected a dataset (a map with name, kind and the kind's keys), got " + entry.describe());
      return null;
    }
    int before = problems.count();
    Map<String, YamlValue> fields = entry.entries(problems);
    String name = text(entry, fields, "name",
        "the dataset's name, unique in the matrix, matching " + MatrixParser.NAME.pattern());
    if (name != null && !MatrixParser.NAME.matcher(name).matches()) {
      problems.at(fields.get("name"), "'" + name + "' is not a valid name: expected " + MatrixParser.NAME.pattern());
    }
    String kindText = text(entry, fields, "kind", "one of " + DatasetKind.known());
    DatasetKind kind = kindText == null ? null : DatasetKind.of(kindText).orElse(null);
    if (kindText != null && kind == null) {
      problems.at(fields.get("kind"),
          "unknown dataset kind '" + kindText + "': expected one of " + DatasetKind.known());
    }
    checkKeys(fields, kind);
    if (kind == null) {
      return null;
    }
    List<EvaluationProtocol> protocols = protocols(fields.get("protocols"), kind);
    DatasetSpec spec = kind.isSynthetic()
        ? synthetic(name, kind, entry, fields.get("params"), protocols)
        : real(name, kind, entry, fields, kind.takes(MAX_FRAMES.key()) ? MAX_FRAMES : CAPTIONS_PER_IMAGE, protocols);
    StageInit init = fields.containsKey("init") ? init(fields.get("init")) : null;
    List<String> losses = fields.containsKey("losses") ? losses(fields.get("losses")) : List.of();
    if (problems.count() != before) {
      return null;
    }
    return (init == null ? spec : spec.withInit(init)).withLosses(losses);
  }

  /**
   * {@code losses: [SPEC, ...]}: the variants this dataset's cells train with, canonical; whether
   * each is a variant of the matrix is checked with the whole matrix.
   */
  private List<String> losses(YamlValue value) {
    List<String> out = new ArrayList<>();
    List<YamlValue> items = value.isSequence() ? value.items() : List.of(value);
    if (items.isEmpty()) {
      problems.at(value, "an empty list: expected some of the matrix's loss variants (leave the key out for all)");
    }
    for (YamlValue item : items) {
      if (!item.isScalar()) {
        problems.at(item, "expected a loss spec (NAME or NAME:key=value,...) naming one of the matrix's variants, got "
            + item.describe());
        continue;
      }
      try {
        out.add(LossSpec.parse(item.text()).canonical());
      } catch (InvalidInputException e) {
        problems.at(item, e.getMessage());
      }
    }
    return out;
  }

  private static final List<String> INIT_KEYS = List.of("from", "loss", "checkpoint", "freeze");

  /**
   * {@code init: {from: DATASET, loss: SPEC, freeze: [PREFIX, ...]}} or {@code init: {checkpoint:
   * PATH, freeze: [...]}}; whether {@code from} and {@code loss} name a dataset and loss variant of
   * the matrix is checked with the whole matrix, the checkpoint file here.
   */
  private StageInit init(YamlValue value) {
    String expected = "a map {from: DATASET, loss: LOSS (optional), freeze: [PARAMETER_PREFIX, ...] (optional)}"
        + " or {checkpoint: PATH, freeze: [...] (optional)}";
    if (!value.isMapping()) {
      problems.at(value, "expected " + expected + ", got " + value.describe());
      return null;
    }
    Map<String, YamlValue> f = value.entries(problems);
    for (Map.Entry<String, YamlValue> e : f.entrySet()) {
      if (!INIT_KEYS.contains(e.getKey())) {
        problems.atKey(e.getValue(),
            "unknown key '" + e.getKey() + "': expected one of " + String.join(", ", INIT_KEYS));
      }
    }
    List<String> freeze = freeze(f.get("freeze"));
    YamlValue from = f.get("from");
    YamlValue checkpoint = f.get("checkpoint");
    if (from != null && checkpoint != null) {
      problems.at(checkpoint, "init has both from and checkpoint: expected one place to start from");
      return null;
    }
    if (checkpoint != null) {
      if (f.containsKey("loss")) {
        problems.atKey(f.get("loss"),
            "init.loss chooses the parent cells of init.from: it has no meaning with a checkpoint");
      }
      return checkpoint(checkpoint, freeze);
    }
    if (from == null || !from.isScalar()) {
      problems.at(from == null ? value : from, value.child("from"),
          (from == null ? "missing" : "got " + from.describe())
              + ": expected the name of the dataset whose cells this one's start from (or checkpoint: PATH)");
      return null;
    }
    String loss = null;
    YamlValue l = f.get("loss");
    if (l != null) {
      if (!l.isScalar()) {
        problems.at(l, "expected a loss spec (NAME or NAME:key=value,...), got " + l.describe());
      } else {
        try {
          loss = LossSpec.parse(l.text()).canonical();
        } catch (InvalidInputException e) {
          problems.at(l, e.getMessage());
        }
      }
    }
    return new StageInit(from.text(), loss, freeze);
  }

  private List<String> freeze(YamlValue fr) {
    List<String> freeze = new ArrayList<>();
    if (fr != null) {
      for (YamlValue item : fr.isSequence() ? fr.items() : List.of(fr)) {
        if (!item.isScalar() || item.text().isBlank()) {
          problems.at(item, "expected a parameter name prefix (e.g. text.embedding, image), got " + item.describe());
        } else {
          freeze.add(item.text().trim());
        }
      }
    }
    return freeze;
  }

  /**
   * A path as written: {@code ${VAR}}s expanded from the environment, resolved against the matrix
   * file's directory, absolute and normalised; {@code null} with the problems reported.
   */
  private Path resolve(YamlValue value) {
    PathTemplate.Expansion expanded = PathTemplate.expand(value.text(), environment, "the data directory",
        "/path/to/data");
    expanded.problems().forEach(p -> problems.at(value, p));
    if (!expanded.problems().isEmpty()) {
      return null;
    }
    try {
      return baseDirectory.resolve(expanded.text()).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      problems.at(value, "'" + expanded.text() + "' is not a valid path: " + e.getReason());
      return null;
    }
  }

  /** The resolved path, and what was written when it had {@code ${VAR}}s. */
  private String shown(Path resolved, YamlValue value) {
    boolean expanded = !PathTemplate.expand(value.text(), environment, "the data directory", "/path/to/data").text()
        .equals(value.text());
    return resolved + (expanded ? " (from " + value.text() + ")" : "");
  }

  /** A checkpoint file: expanded, resolved against the matrix's directory, checked and hashed. */
  private StageInit checkpoint(YamlValue value, List<String> freeze) {
    String expected = "a lossbench checkpoint file (a run's best.ckpt or last.ckpt; ${VAR} expands from the"
        + " environment; relative paths start at the matrix file's directory)";
    if (!value.isScalar()) {
      problems.at(value, "got " + value.describe() + ": expected " + expected);
      return null;
    }
    Path file = resolve(value);
    if (file == null) {
      return null;
    }
    try {
      return StageInit.ofCheckpoint(file.toString(), CheckpointFile.check(file), freeze);
    } catch (CheckpointFileException e) {
      problems.at(value, shown(file, value) + " " + e.problem() + ": expected " + expected);
      return null;
    }
  }

  /** Every key a dataset entry of this kind may have, in the order the reference lists them. */
  static List<String> keys(DatasetKind kind) {
    return Stream.of(List.of("name", "kind"), kind.parameters(), List.of("protocols", "init", "losses"))
        .flatMap(List::stream).toList();
  }

  private void checkKeys(Map<String, YamlValue> fields, DatasetKind kind) {
    List<String> allowed = kind != null
        ? keys(kind)
        : Arrays.stream(DatasetKind.values()).flatMap(k -> keys(k).stream()).distinct().toList();
    for (Map.Entry<String, YamlValue> f : fields.entrySet()) {
      if (!allowed.contains(f.getKey())) {
        problems.atKey(f.getValue(),
            "unknown key '" + f.getKey() + "'" + (kind != null ? " for a " + kind + " dataset" : "")
                + ": expected one of " + String.join(", ", allowed));
      }
    }
  }

  private List<EvaluationProtocol> protocols(YamlValue value, DatasetKind kind) {
    List<EvaluationProtocol> ofKind = EvaluationProtocol.forKind(kind);
    if (value == null) {
      return List.of(ofKind.get(0));
    }
    List<YamlValue> items = value.isSequence() ? value.items() : List.of(value);
    String allowed = ofKind.stream().map(EvaluationProtocol::id).collect(Collectors.joining(", "));
    if (items.isEmpty()) {
      problems.at(value, "empty list: expected one or more of " + allowed);
    }
    Set<EvaluationProtocol> protocols = new LinkedHashSet<>();
    for (YamlValue item : items) {
      if (!item.isScalar()) {
        problems.at(item, "expected a protocol (" + allowed + "), got " + item.describe());
        continue;
      }
      EvaluationProtocol p = EvaluationProtocol.of(item.text()).orElse(null);
      if (p == null) {
        problems.at(item, "unknown protocol '" + item.text() + "': expected one of " + allowed);
      } else if (!ofKind.contains(p)) {
        problems.at(item, p + " is not a protocol of " + kind + " data: expected one of " + allowed
            + (p == EvaluationProtocol.MSRVTT1KA ? " (msrvtt1ka is for msrvtt datasets)" : "")
            + (p == EvaluationProtocol.COCO1K || p == EvaluationProtocol.COCO5K
                ? " (" + p + " reads a precomp directory's testall split)"
                : ""));
      } else if (!protocols.add(p)) {
        problems.at(item, "protocol " + p + " is listed twice: expected each once");
      } else if (protocols.size() == 1 && !p.canBePrimary()) {
        problems.at(item, p + " cannot be a dataset's first (primary) protocol: list the test protocol first, e.g."
            + " protocols: [" + ofKind.get(0) + ", " + p + "]");
      }
    }
    if (protocols.isEmpty() || !protocols.iterator().next().canBePrimary()) {
      // the problem is recorded and the dataset dropped; the default stands in so that nothing else trips on it
      return List.of(ofKind.get(0));
    }
    return List.copyOf(protocols);
  }

  private DatasetSpec synthetic(String name, DatasetKind kind, YamlValue entry, YamlValue params,
      List<EvaluationProtocol> protocols) {
    int before = problems.count();
    Map<String, String> raw = new LinkedHashMap<>();
    if (params != null && !params.isMapping()) {
      problems.at(params, "expected a map of generator knobs (" + knobs() + "), got " + params.describe());
    } else if (params != null) {
      for (Map.Entry<String, YamlValue> f : params.entries(problems).entrySet()) {
        YamlValue v = f.getValue();
        boolean known = SyntheticParams.PARAMS.stream().anyMatch(p -> p.key().equals(f.getKey()));
        if (known && !v.isScalar() && !v.isNull()) {
          problems.at(v, "expected a value, got " + v.describe() + " (a dataset's knobs do not sweep)");
          continue;
        }
        try {
          Params.resolve("synthetic dataset", SyntheticParams.PARAMS, Map.of(f.getKey(), v.isNull() || v.isScalar()
              ? v.text()
              : "?"), SpecException::new);
          raw.put(f.getKey(), v.text());
        } catch (SpecException e) {
          if (known) {
            problems.at(v, e.getMessage());
          } else {
            problems.atKey(v, e.getMessage());
          }
        }
      }
    }
    if (problems.count() > before) {
      return null;
    }
    try {
      SyntheticConfig config = SyntheticParams.config(raw);
      return new DatasetSpec(name, kind, null, config, config.captionsPerImage(), 0, protocols);
    } catch (InvalidInputException e) {
      // a rule between knobs, decided by SyntheticConfig itself
      problems.at(params != null ? params : entry, e.getMessage());
      return null;
    }
  }

  private DatasetSpec real(String name, DatasetKind kind, YamlValue entry, Map<String, YamlValue> fields, Param count,
      List<EvaluationProtocol> protocols) {
    Integer n = (Integer) integer(fields.get(count.key()), kind, count);
    Path dir = directory(entry, fields.get("path"), kind, protocols);
    if (n == null || dir == null || name == null) {
      return null;
    }
    return count == CAPTIONS_PER_IMAGE
        ? new DatasetSpec(name, kind, dir.toString(), null, n, 0, protocols)
        : new DatasetSpec(name, kind, dir.toString(), null, 1, n, protocols);
  }

  private Object integer(YamlValue value, DatasetKind kind, Param param) {
    if (value == null) {
      return param.defaultValue();
    }
    if (!value.isScalar()) {
      problems.at(value, "expected " + param.allowed() + ", got " + value.describe());
      return null;
    }
    try {
      return param.parse(kind + " dataset", value.text());
    } catch (SpecException e) {
      problems.at(value, e.getMessage());
      return null;
    }
  }

  /** The absolute, normalised directory, checked to exist and to hold the files the protocols need. */
  private Path directory(YamlValue entry, YamlValue value, DatasetKind kind, List<EvaluationProtocol> protocols) {
    if (value == null || !value.isScalar()) {
      problems.at(value == null ? entry : value, entry.child("path"),
          (value == null ? "missing" : "got " + value.describe()) + ": expected the " + kind
              + " data directory (${VAR} expands from the environment; relative paths start at the matrix file's directory)");
      return null;
    }
    Path dir = resolve(value);
    if (dir == null) {
      return null;
    }
    String shown = shown(dir, value);
    if (!Files.exists(dir)) {
      problems.at(value, shown + " does not exist: expected a " + kind + " directory holding "
          + DatasetFiles.expected(kind, protocols));
      return null;
    }
    if (!Files.isDirectory(dir)) {
      problems.at(value, shown + " is a file: expected a " + kind + " directory holding "
          + DatasetFiles.expected(kind, protocols));
      return null;
    }
    List<String> missing = DatasetFiles.missing(kind, dir, protocols);
    if (!missing.isEmpty()) {
      problems.at(value, shown + " has no " + String.join(", ", missing) + ": expected "
          + DatasetFiles.expected(kind, protocols));
      return null;
    }
    return dir;
  }

  /** A required plain-text entry, or {@code null} (reported) when it is missing or not text. */
  private String text(YamlValue entry, Map<String, YamlValue> fields, String key, String expected) {
    YamlValue v = fields.get(key);
    if (v == null || !v.isScalar()) {
      problems.at(v == null ? entry : v, entry.child(key), (v == null ? "missing" : "got " + v.describe())
          + ": expected " + expected);
      return null;
    }
    return v.text();
  }

  private static String knobs() {
    List<String> keys = new ArrayList<>();
    SyntheticParams.PARAMS.forEach(p -> keys.add(p.key()));
    return String.join(", ", keys);
  }
}
