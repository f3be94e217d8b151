package dev.lossbench.schema.record;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A dataset as a matrix names it: files on disk ({@code path}) or a generator ({@code generatorParams}), at least
 * one of the two.
 *
 * @param kind e.g. {@code precomp}, {@code msrvtt}, {@code synthetic}
 * @param primarySplit the test protocol the leaderboard ranks by ({@code test}, {@code coco5k}, {@code msrvtt1ka},
 *     ...); {@code null} means {@value #DEFAULT_PRIMARY_SPLIT}
 */
public record DatasetDefinition(String id, String kind, String path, JsonNode generatorParams, String primarySplit) {
  public static final String DEFAULT_PRIMARY_SPLIT = "test";

  public DatasetDefinition {
    Require.text(id, "dataset id");
    Require.text(kind, "dataset kind");
    if (path == null && generatorParams == null) {
      throw new IllegalArgumentException("dataset " + id + " needs a path or generator parameters");
    }
    generatorParams = JsonCopies.copy(generatorParams);
    primarySplit = primarySplit == null ? DEFAULT_PRIMARY_SPLIT : Require.text(primarySplit, "primary split");
  }

  @Override
  public JsonNode generatorParams() {
    return JsonCopies.copy(generatorParams);
  }
}
