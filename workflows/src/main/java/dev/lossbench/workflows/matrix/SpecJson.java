package dev.lossbench.workflows.matrix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.DatasetKind;
import dev.lossbench.retrieval.eval.EvaluationProtocol;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.params.Param;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored form of a {@link BenchmarkSpec}: fixed key order, every parameter resolved (defaults
 * included) and numbers in their shortest exact decimal, so equal specs give equal bytes and SQL
 * can query them ({@code spec->'losses'->0->>'label'}). Labels, ids and cells are written for
 * readers; reading back uses only the canonical specs and dataset fields.
 */
final class SpecJson {
  static final String FORMAT = "lossbench-matrix v1";

  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build();

  private SpecJson() {}

  static String write(BenchmarkSpec spec) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("name", spec.name());
    root.put("description", spec.description());
    root.put("baseline", spec.baseline());
    root.put("max_parallel_runs", spec.maxParallelRuns());
    root.put("spec_hash", spec.specHash());
    ArrayNode datasets = root.putArray("datasets");
    for (DatasetSpec d : spec.datasets()) {
      datasets.add(dataset(d));
    }
    ArrayNode models = root.putArray("models");
    for (ModelSpec m : spec.modelSpecs()) {
      models.add(variant(m.canonical(), m.name().id(), m.label(), m.params()));
    }
    ArrayNode losses = root.putArray("losses");
    for (LossSpec l : spec.lossSpecs()) {
      losses.add(variant(l.canonical(), l.name().id(), l.label(), l.params()));
    }
    ArrayNode seeds = root.putArray("seeds");
    spec.seeds().forEach(seeds::add);
    ObjectNode training = root.putObject("training");
    training.put("spec", spec.training());
    training.set("params", params(spec.trainingConfig().values()));
    if (spec.study() != null) {
      root.set("study", study(spec.study()));
    }
    if (spec.adaptive() != null) {
      root.set("adaptive", adaptive(spec.adaptive()));
    }
    ArrayNode cells = root.putArray("cells");
    for (Cell c : spec.cells()) {
      ObjectNode cell = cells.addObject();
      cell.put("id", c.id());
      cell.put("dataset", c.dataset().name());
      cell.put("model", c.modelLabel());
      cell.put("loss", c.lossLabel());
      cell.put("seed", c.seed());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }

  static BenchmarkSpec read(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("stored matrix is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new InvalidInputException("stored matrix is not in the format '" + FORMAT + "'");
    }
    List<DatasetSpec> datasets = new ArrayList<>();
    for (JsonNode d : root.path("datasets")) {
      datasets.add(dataset(d));
    }
    List<String> models = new ArrayList<>();
    root.path("models").forEach(m -> models.add(ModelSpec.parse(m.path("spec").asText()).canonical()));
    List<String> losses = new ArrayList<>();
    root.path("losses").forEach(l -> losses.add(LossSpec.parse(l.path("spec").asText()).canonical()));
    List<Long> seeds = new ArrayList<>();
    root.path("seeds").forEach(s -> seeds.add(s.asLong()));
    String training = Cell.trainingConfig(root.path("training").path("spec").asText()).canonical();
    AnalysisPlan study = root.hasNonNull("study") ? study(root.get("study")) : null;
    AdaptivePlan adaptive = root.hasNonNull("adaptive") ? adaptive(root.get("adaptive")) : null;
    return new BenchmarkSpec(root.path("name").asText(), root.path("description").asText(),
        root.path("baseline").asText(), root.path("max_parallel_runs").asInt(), datasets, models, losses, seeds,
        training,
        study, adaptive);
  }

  /** The adaptive plan: {@code seeds} and/or {@code early_stopping}, keys as in the matrix. */
  private static ObjectNode adaptive(AdaptivePlan plan) {
    ObjectNode n = JSON.createObjectNode();
    if (plan.earlyStopping() != null) {
      AdaptivePlan.EarlyStopping e = plan.earlyStopping();
      ObjectNode es = n.putObject("early_stopping");
      es.put("grace_epochs", e.graceEpochs());
      if (e.keepWithin() != null) {
        es.put("keep_within", e.keepWithin().text());
      }
      es.put("metric", e.metric());
      es.put("reduction_factor", e.reductionFactor());
      es.put("rule", e.rule());
    }
    if (plan.seeds() != null) {
      ObjectNode s = n.putObject("seeds");
      s.put("max", plan.seeds().max());
      s.put("min", plan.seeds().min());
      s.put("step", plan.seeds().step());
    }
    return n;
  }

  private static AdaptivePlan adaptive(JsonNode n) {
    JsonNode s = n.get("seeds");
    JsonNode e = n.get("early_stopping");
    return new AdaptivePlan(
        s == null
            ? null
            : new AdaptivePlan.SequentialSeeds(s.path("min").asInt(), s.path("max").asInt(),
                s.path("step").asInt()),
        e == null
            ? null
            : new AdaptivePlan.EarlyStopping(e.path("rule").asText(), e.path("metric").asText(),
                e.path("grace_epochs").asInt(), e.path("reduction_factor").asInt(),
                e.hasNonNull("keep_within")
                    ? AnalysisPlan.EquivalenceBound.parse(e.get("keep_within").asText())
                    : null));
  }

  /** The {@code study:} block, keys sorted, bounds as written ({@code 5} or {@code 2%}). */
  private static ObjectNode study(AnalysisPlan plan) {
    ObjectNode n = JSON.createObjectNode();
    n.put("alpha", new BigDecimal(AnalysisPlan.plain(plan.alpha())));
    n.put("convergence", plan.convergence());
    ObjectNode equivalence = n.putObject("equivalence");
    new TreeMap<>(plan.equivalence()).forEach((measure, bound) -> equivalence.put(measure, bound.text()));
    ArrayNode primary = n.putArray("primary");
    plan.primary().forEach(primary::add);
    ArrayNode unified = n.putArray("unified");
    plan.unified().forEach(unified::add);
    return n;
  }

  private static AnalysisPlan study(JsonNode n) {
    Map<String, AnalysisPlan.EquivalenceBound> equivalence = new LinkedHashMap<>();
    n.path("equivalence").properties()
        .forEach(e -> equivalence.put(e.getKey(), AnalysisPlan.EquivalenceBound.parse(e.getValue().asText())));
    List<String> primary = new ArrayList<>();
    n.path("primary").forEach(p -> primary.add(p.asText()));
    List<String> unified = new ArrayList<>();
    n.path("unified").forEach(u -> unified.add(u.asText()));
    return new AnalysisPlan(n.path("alpha").asDouble(), equivalence, n.path("convergence").asText(), unified, primary);
  }

  private static ObjectNode dataset(DatasetSpec d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", d.name());
    n.put("kind", d.kind().id());
    n.put("id", d.id());
    n.put("identity", d.identity());
    if (d.kind().isSynthetic()) {
      n.set("synthetic", params(SyntheticParams.values(d.synthetic())));
    } else {
      n.put("path", d.path());
      if (d.kind().takes("max_frames")) {
        n.put("max_frames", d.maxFrames());
      }
    }
    n.put("captions_per_image", d.captionsPerImage());
    ArrayNode protocols = n.putArray("protocols");
    d.protocols().forEach(p -> protocols.add(p.id()));
    if (!d.losses().isEmpty()) {
      ArrayNode losses = n.putArray("losses");
      d.losses().forEach(losses::add);
    }
    if (d.init() != null) {
      ObjectNode init = n.putObject("init");
      if (d.init().fromStage()) {
        init.put("from", d.init().from());
      } else {
        init.put("checkpoint", d.init().checkpoint());
        init.put("checkpoint_sha256", d.init().checkpointSha256());
      }
      if (d.init().loss() != null) {
        init.put("loss", d.init().loss());
      }
      ArrayNode freeze = init.putArray("freeze");
      d.init().freeze().forEach(freeze::add);
    }
    return n;
  }

  private static DatasetSpec dataset(JsonNode n) {
    DatasetKind kind = DatasetKind.of(n.path("kind").asText())
        .orElseThrow(() -> new InvalidInputException("stored matrix: unknown dataset kind " + n.path("kind")));
    List<EvaluationProtocol> protocols = new ArrayList<>();
    for (JsonNode p : n.path("protocols")) {
      protocols.add(EvaluationProtocol.of(p.asText())
          .orElseThrow(() -> new InvalidInputException("stored matrix: unknown protocol " + p)));
    }
    String path = n.hasNonNull("path") ? n.get("path").asText() : null;
    List<String> losses = new ArrayList<>();
    n.path("losses").forEach(l -> losses.add(l.asText()));
    DatasetSpec spec = datasetWithoutInit(n, kind, protocols, path).withLosses(losses);
    JsonNode init = n.get("init");
    if (init == null) {
      return spec;
    }
    List<String> freeze = new ArrayList<>();
    init.path("freeze").forEach(f -> freeze.add(f.asText()));
    if (init.hasNonNull("checkpoint")) {
      return spec.withInit(StageInit.ofCheckpoint(init.get("checkpoint").asText(),
          init.path("checkpoint_sha256").asText(), freeze));
    }
    return spec.withInit(new StageInit(init.path("from").asText(),
        init.hasNonNull("loss") ? init.get("loss").asText() : null, freeze));
  }

  private static DatasetSpec datasetWithoutInit(JsonNode n, DatasetKind kind, List<EvaluationProtocol> protocols,
      String path) {
    if (kind.isSynthetic()) {
      Map<String, String> knobs = new LinkedHashMap<>();
      n.path("synthetic").properties().forEach(e -> knobs.put(e.getKey(), e.getValue().asText()));
      return new DatasetSpec(n.path("name").asText(), kind, null, SyntheticParams.config(knobs),
          n.path("captions_per_image").asInt(), 0, protocols);
    }
    return new DatasetSpec(n.path("name").asText(), kind, path, null, n.path("captions_per_image").asInt(),
        n.path("max_frames").asInt(0), protocols);
  }

  private static ObjectNode variant(String canonical, String name, String label, Map<String, Object> params) {
    ObjectNode n = JSON.createObjectNode();
    n.put("spec", canonical);
    n.put("name", name);
    n.put("label", label);
    n.set("params", params(params));
    return n;
  }

  private static ObjectNode params(Map<String, Object> params) {
    ObjectNode n = JSON.createObjectNode();
    params.forEach((key, value) -> {
      if (value instanceof Double d) {
        n.put(key, new BigDecimal(Param.format(d)));
      } else if (value instanceof Integer i) {
        n.put(key, i);
      } else if (value instanceof Long l) {
        n.put(key, l);
      } else if (value instanceof Boolean b) {
        n.put(key, b);
      } else {
        n.put(key, String.valueOf(value));
      }
    });
    return n;
  }
}
