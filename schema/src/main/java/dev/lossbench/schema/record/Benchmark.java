package dev.lossbench.schema.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A stored benchmark. {@code finishedAt} is null while it runs. */
public record Benchmark(
    String id,
    String name,
    JsonNode spec,
    String specHash,
    String baselineLoss,
    BenchmarkStatus status,
    Instant createdAt,
    Instant finishedAt) {

  public Benchmark {
    spec = JsonCopies.copy(spec);
  }

  @Override
  public JsonNode spec() {
    return JsonCopies.copy(spec);
  }
}
