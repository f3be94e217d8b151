package dev.lossbench.schema.repository;

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
        spec = Jsonb.copy(spec);
    }

    @Override
    public JsonNode spec() {
        return Jsonb.copy(spec);
    }
}
