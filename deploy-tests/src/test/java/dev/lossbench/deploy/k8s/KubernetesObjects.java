package dev.lossbench.deploy.k8s;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rendered manifests read into fabric8's Kubernetes API model, strictly: the model classes keep unknown fields in
 * an "additionalProperties" map, which would let a misspelt field through; here that map is switched off, so an
 * unknown field anywhere fails, as it would with {@code kubectl apply --validate=strict}.
 */
final class KubernetesObjects {
  private static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .registerModule(
          new SimpleModule("strict-kubernetes-model").setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                BeanDeserializerBuilder builder) {
              if (bean.getBeanClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
                builder.setAnySetter(null);
                builder.setIgnoreUnknownProperties(false);
              }
              return builder;
            }
          }));

  private final List<HasMetadata> objects;

  private KubernetesObjects(List<HasMetadata> objects) {
    this.objects = List.copyOf(objects);
  }

  /** Parses a multi-document YAML stream; fails on an unknown kind or field. */
  static KubernetesObjects parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    try (var documents = STRICT.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document == null || document.isNull() || document.isEmpty()) {
          continue;
        }
        String name = document.path("kind").asText() + "/" + document.path("metadata").path("name").asText();
        KubernetesResource resource;
        try {
          resource = STRICT.treeToValue(document, KubernetesResource.class);
        } catch (IOException e) {
          throw new IllegalArgumentException(name + " does not fit the Kubernetes API model: " + e.getMessage(), e);
        }
        if (resource instanceof GenericKubernetesResource || !(resource instanceof HasMetadata)) {
          throw new IllegalArgumentException(name + " (" + document.path("apiVersion").asText()
              + ") is not a kind of the Kubernetes API model on the test classpath");
        }
        objects.add((HasMetadata) resource);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the rendered YAML", e);
    }
    return new KubernetesObjects(objects);
  }

  List<HasMetadata> all() {
    return objects;
  }

  <T extends HasMetadata> List<T> ofType(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return ofType(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  /** Generated objects (ConfigMaps) carry a content hash after their name: find them by the name before it. */
  <T extends HasMetadata> T generated(Class<T> type, String baseName) {
    List<T> matches = ofType(type).stream()
        .filter(o -> o.getMetadata().getName().matches(java.util.regex.Pattern.quote(baseName) + "-[a-z0-9]{10}"))
        .toList();
    if (matches.size() != 1) {
      throw new AssertionError("expected one generated " + type.getSimpleName() + " " + baseName + "-<hash>, found "
          + matches.stream().map(m -> m.getMetadata().getName()).toList());
    }
    return matches.get(0);
  }
}
