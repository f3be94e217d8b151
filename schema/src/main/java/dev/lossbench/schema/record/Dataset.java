package dev.lossbench.schema.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * A stored dataset. {@code contentHash}, {@code preparedAt} are null and {@code splitSizes} empty until the dataset
 * has been prepared (and again after its definition changed).
 *
 * @param splitSizes number of images (or videos) per split, e.g. {@code train → 29000}
 */
public record Dataset(
    String id,
    String kind,
    String path,
    JsonNode generatorParams,
    String contentHash,
    Map<String, Long> splitSizes,
    String primarySplit,
    Instant createdAt,
    Instant preparedAt) {

  public Dataset {
    generatorParams = JsonCopies.copy(generatorParams);
    splitSizes = Map.copyOf(splitSizes);
  }

  @Override
  public JsonNode generatorParams() {
    return JsonCopies.copy(generatorParams);
  }
}
