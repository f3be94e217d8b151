package dev.lossbench.schema.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Immutable-by-copy snapshots of JSON, so that records holding JSON cannot be changed from outside. */
final class JsonCopies {
  private JsonCopies() {}

  static JsonNode copyOrEmpty(JsonNode node) {
    return node == null ? JsonNodeFactory.instance.objectNode() : node.deepCopy();
  }

  static JsonNode copy(JsonNode node) {
    return node == null ? null : node.deepCopy();
  }
}
