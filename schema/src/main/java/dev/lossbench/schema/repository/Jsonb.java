package dev.lossbench.schema.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Map;

/** JSON text for jsonb columns: bound as text and cast in SQL ({@code CAST(:x AS jsonb)}), read back as text. */
final class Jsonb {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, Long>> SPLIT_SIZES = new TypeReference<>() {};

  private Jsonb() {}

  static String write(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write JSON for a jsonb column", e);
    }
  }

  static JsonNode read(String json) {
    if (json == null) {
      return null;
    }
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot read a jsonb column as JSON", e);
    }
  }

  static Map<String, Long> readSplitSizes(String json) {
    try {
      return Map.copyOf(MAPPER.readValue(json, SPLIT_SIZES));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot read dataset.split_sizes", e);
    }
  }
}
