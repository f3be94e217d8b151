package dev.lossbench.schema.record;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A benchmark as submitted: what {@code BenchmarkRepository.register} stores.
 *
 * @param id stable for the same matrix (e.g. name + spec hash), so that submitting it again is idempotent
 * @param spec the validated matrix, as JSON
 * @param baselineLoss what loss_delta compares with: a variant label or a loss name; {@code null} means
 *     {@value #DEFAULT_BASELINE}
 */
public record BenchmarkDefinition(String id, String name, JsonNode spec, String specHash, String baselineLoss) {
  public static final String DEFAULT_BASELINE = "triplet-hn";

  public BenchmarkDefinition {
    Require.text(id, "benchmark id");
    Require.text(name, "benchmark name");
    spec = Require.present(spec, "benchmark spec").deepCopy();
    Require.text(specHash, "benchmark spec hash");
    baselineLoss = baselineLoss == null ? DEFAULT_BASELINE : Require.text(baselineLoss, "baseline loss");
  }

  @Override
  public JsonNode spec() {
    return spec.deepCopy();
  }
}
