package dev.lossbench.workflows.matrix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A composed YAML node together with its field path in the matrix ({@code losses[2].gamma}), so
 * that every problem found in it can name both the field and the line.
 */
final class YamlValue {
  private final Node node;
  private final String field;
  private final YamlValue key;

  YamlValue(Node node, String field) {
    this(node, field, null);
  }

  private YamlValue(Node node, String field, YamlValue key) {
    this.node = node;
    this.field = field;
    this.key = key;
  }

  /** The key this value is the entry of (where an unknown key is pointed at); itself for list items. */
  YamlValue key() {
    return key != null ? key : this;
  }

  String field() {
    return field;
  }

  /** 1-based. */
  int line() {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
  }

  /** 1-based. */
  int column() {
    return node.getStartMark().map(m -> m.getColumn() + 1).orElse(1);
  }

  boolean isScalar() {
    return node instanceof ScalarNode && !isNull();
  }

  boolean isNull() {
    return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
  }

  boolean isSequence() {
    return node instanceof SequenceNode;
  }

  boolean isMapping() {
    return node instanceof MappingNode;
  }

  /** The text of a scalar as written (numbers and booleans too); {@code "null"} for an empty value. */
  String text() {
    return isNull() ? "null" : ((ScalarNode) node).getValue();
  }

  /** What the node is, for "expected X, got Y" messages. */
  String describe() {
    if (isNull()) {
      return "nothing";
    }
    if (isSequence()) {
      return "a list";
    }
    if (isMapping()) {
      return "a mapping";
    }
    return "'" + text() + "'";
  }

  /** Items of a sequence, each with its index in the path. */
  List<YamlValue> items() {
    List<YamlValue> items = new ArrayList<>();
    List<Node> nodes = ((SequenceNode) node).getValue();
    for (int i = 0; i < nodes.size(); i++) {
      items.add(new YamlValue(nodes.get(i), field + "[" + i + "]"));
    }
    return items;
  }

  /**
   * Entries of a mapping in file order. Keys that are not plain text and repeated keys are
   * reported and left out (YAML forbids repeats; a silent last-one-wins would hide a mistake).
   */
  Map<String, YamlValue> entries(Problems problems) {
    Map<String, YamlValue> entries = new LinkedHashMap<>();
    Map<String, Integer> keyLines = new HashMap<>();
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      YamlValue key = new YamlValue(t.getKeyNode(), field);
      if (!key.isScalar()) {
        problems.at(key, "a key must be plain text, got " + key.describe());
        continue;
      }
      String name = key.text();
      Integer first = keyLines.putIfAbsent(name, key.line());
      if (first != null) {
        problems.at(key, child(name),
            "duplicate key '" + name + "' (first at line " + first + "): expected each key once");
        continue;
      }
      entries.put(name, new YamlValue(t.getValueNode(), child(name), key));
    }
    return entries;
  }

  /** The path of entry {@code key} below this node. */
  String child(String key) {
    return field.isEmpty() ? key : field + "." + key;
  }
}
