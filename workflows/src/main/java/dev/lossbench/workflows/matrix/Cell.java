package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.eval.EvaluationProtocol;

import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.train.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One run of a benchmark: a dataset, model, loss variant and seed, with the training settings.
 * Plain data — specs are held as their canonical strings and re-parsed on demand — so that Temporal
 * can pass a cell through Jackson as a workflow or activity argument, and workflow code never holds
 * engine objects.
 *
 * @param dataset the dataset
 * @param model {@link ModelSpec#canonical()}
 * @param loss {@link LossSpec#canonical()}
 * @param seed the run's seed (initialisation, batch order, dropout)
 * @param training {@link TrainingConfig#canonical()}
 * @param parent the {@link #id()} of the cell whose best checkpoint this one starts from (its
 *     dataset's {@link StageInit}), or {@code null}: a cold start or a start from a checkpoint file
 *     ({@link #initCheckpoint()})
 * @param freeze name prefixes of parameters not updated (empty: none)
 */
public record Cell(DatasetSpec dataset, String model, String loss, long seed, String training, String parent,
    List<String> freeze) {

  public Cell {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(training, "training");
    freeze = freeze == null ? List.of() : List.copyOf(freeze);
  }

  /** A cell that starts cold. */
  public Cell(DatasetSpec dataset, String model, String loss, long seed, String training) {
    this(dataset, model, loss, seed, training, null, List.of());
  }

  /**
   * Everything that decides the run's result, one fact per line: the dataset's identity and test
   * protocols, the model, loss and training settings with every default spelled out, the seed.
   * Names and labels are left out, so renaming a dataset or reordering the matrix keeps the text.
   */
  public String canonicalText() {
    return String.join("\n",
        "lossbench-cell v1",
        "dataset " + dataset.identity(),
        "protocols "
            + dataset.protocols().stream().map(EvaluationProtocol::id).sorted().collect(Collectors.joining(",")),
        "model " + model,
        "loss " + loss,
        "seed " + seed,
        "training " + training)
        // only fine-tuning cells have the line, so cold cells keep the ids they always had
        + initLine();
  }

  private String initLine() {
    if (parent != null) {
      return "\ninit parent " + parent + " freeze " + String.join(",", freeze);
    }
    StageInit init = dataset.init();
    if (init != null && !init.fromStage()) {
      // the file's bytes, not its path: the same checkpoint moved keeps the cell, a changed one does not
      return "\ninit checkpoint sha256 " + init.checkpointSha256() + " freeze " + String.join(",", freeze);
    }
    return "";
  }

  /** The checkpoint file this cell starts from (its dataset's {@code init.checkpoint}), or {@code null}. */
  public String initCheckpoint() {
    StageInit init = dataset.init();
    return init != null && !init.fromStage() ? init.checkpoint() : null;
  }

  /** 20 hex characters of SHA-256 of {@link #canonicalText()}: the same cell always gets the same id. */
  public String id() {
    return Digest.of(canonicalText());
  }

  public ModelSpec modelSpec() {
    return ModelSpec.parse(model);
  }

  public LossSpec lossSpec() {
    return LossSpec.parse(loss);
  }

  public TrainingConfig trainingConfig() {
    return trainingConfig(training);
  }

  /** The loss variant's short label (non-default parameters only), as leaderboards show it. */
  public String lossLabel() {
    return lossSpec().label();
  }

  public String modelLabel() {
    return modelSpec().label();
  }

  /** {@code dataset / model / loss / seed N}, for logs and progress lines. */
  public String description() {
    return dataset.name() + " / " + modelLabel() + " / " + lossLabel() + " / seed " + seed;
  }

  /** Re-parses {@link TrainingConfig#canonical()} ({@code key=value,...}). */
  static TrainingConfig trainingConfig(String canonical) {
    Map<String, String> raw = new LinkedHashMap<>();
    if (!canonical.isEmpty()) {
      for (String pair : canonical.split(",")) {
        int eq = pair.indexOf('=');
        raw.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return TrainingConfig.fromMap(raw);
  }
}
