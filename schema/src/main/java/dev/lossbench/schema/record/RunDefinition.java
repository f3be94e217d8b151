package dev.lossbench.schema.record;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One cell of a matrix, as {@code RunRepository.register} stores it.
 *
 * @param id a stable hash of the cell (the same cell always gets the same id)
 * @param benchmarkId the benchmark registering the run, which it is linked to ({@code benchmark_run}); the run row
 *     keeps the first benchmark that registered it ({@link Run#benchmarkId()})
 * @param lossName e.g. {@code unified}, {@code triplet-hn}
 * @param variant the loss variant label the views group by, e.g. {@code unified:gamma=50,margin=0.2}; one seed of
 *     a variant is one run per benchmark, dataset and model
 * @param lossParams {@code null} means {@code {}}
 * @param trainingConfig {@code null} means {@code {}}
 * @param validationIsTest its dataset's validation split is its test split (MSR-VTT without {@code MSRVTT_val.csv}),
 *     so whatever is chosen on its validation figures is chosen on test data. Not part of the definition a
 *     re-registration is compared with: registering again with {@code true} sets it, never clears it
 */
public record RunDefinition(
    String id,
    String benchmarkId,
    String datasetId,
    String model,
    String lossName,
    JsonNode lossParams,
    String variant,
    long seed,
    JsonNode trainingConfig,
    boolean validationIsTest) {

  /** A run that validates on a validation split of its own. */
  public RunDefinition(String id, String benchmarkId, String datasetId, String model, String lossName,
      JsonNode lossParams, String variant, long seed, JsonNode trainingConfig) {
    this(id, benchmarkId, datasetId, model, lossName, lossParams, variant, seed, trainingConfig, false);
  }

  public RunDefinition {
    Require.text(id, "run id");
    Require.text(benchmarkId, "benchmark id");
    Require.text(datasetId, "dataset id");
    Require.text(model, "model");
    Require.text(lossName, "loss name");
    lossParams = JsonCopies.copyOrEmpty(lossParams);
    Require.text(variant, "variant");
    trainingConfig = JsonCopies.copyOrEmpty(trainingConfig);
  }

  @Override
  public JsonNode lossParams() {
    return lossParams.deepCopy();
  }

  @Override
  public JsonNode trainingConfig() {
    return trainingConfig.deepCopy();
  }
}
