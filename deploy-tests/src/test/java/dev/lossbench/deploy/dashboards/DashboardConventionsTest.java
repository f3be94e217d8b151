package dev.lossbench.deploy.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lossbench.deploy.ProjectFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What Grafana's schema cannot say: stable uids, datasources named by the provisioned uid, unique panel ids. */
class DashboardConventionsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void everyDashboardHasItsOwnStableUid() {
    Set<String> uids = new HashSet<>();
    for (DashboardFile dashboard : DashboardFile.all()) {
      String uid = dashboard.uid();
      assertTrue(uid != null && uid.matches("lossbench-[a-z0-9-]+") && uid.length() <= 40,
          dashboard.fileName() + ": uid " + uid + " (links and bookmarks rely on it)");
      assertTrue(uids.add(uid), "uid " + uid + " is used twice");
      assertTrue(dashboard.json().path("id").isMissingNode() || dashboard.json().path("id").isNull(),
          dashboard.fileName() + ": a provisioned dashboard carries no instance-specific id");
    }
  }

  @Test
  void everyDatasourceReferenceNamesTheProvisionedDatasourceByUid() throws IOException {
    JsonNode provisioned = provisionedDatasource();
    for (DashboardFile dashboard : DashboardFile.all()) {
      List<JsonNode> references = new ArrayList<>();
      collectDatasources(dashboard.json(), references);
      assertTrue(references.size() > dashboard.panels().size(), dashboard.fileName() + ": panels and targets name one");
      for (JsonNode reference : references) {
        assertTrue(reference.isObject(), dashboard.fileName() + ": datasource by name, not by uid: " + reference);
        assertEquals(provisioned.path("uid").asText(), reference.path("uid").asText(), dashboard.fileName());
        assertEquals(provisioned.path("type").asText(), reference.path("type").asText(), dashboard.fileName());
      }
    }
  }

  @Test
  void panelIdsAreUniqueWithinEachDashboard() {
    for (DashboardFile dashboard : DashboardFile.all()) {
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : dashboard.panels()) {
        assertTrue(panel.path("id").isInt(),
            dashboard.fileName() + ": panel without a numeric id: " + panel.path("title"));
        assertTrue(ids.add(panel.path("id").asInt()),
            dashboard.fileName() + ": panel id " + panel.path("id") + " twice");
      }
    }
  }

  @Test
  void theDatasourceTakesEndpointAndReaderCredentialsFromTheEnvironment() throws IOException {
    JsonNode datasource = provisionedDatasource();
    Map<String, String> fromEnvironment = Map.of(
        "url", datasource.path("url").asText(),
        "user", datasource.path("user").asText(),
        "database", datasource.path("jsonData").path("database").asText(),
        "password", datasource.path("secureJsonData").path("password").asText());
    fromEnvironment.forEach((field, value) -> assertTrue(value.matches("(\\$\\{[A-Z_]+}:?)+"),
        field + " must come from environment variables, is " + value));
  }

  private static JsonNode provisionedDatasource() throws IOException {
    JsonNode file = YAML
        .readTree(ProjectFiles.dashboards().resolve("provisioning/datasources/lossbench.yaml").toFile());
    assertEquals(1, file.path("datasources").size(), "one datasource");
    return file.path("datasources").get(0);
  }

  private static void collectDatasources(JsonNode node, List<JsonNode> into) {
    if (node.isObject()) {
      node.fields().forEachRemaining(field -> {
        if (field.getKey().equals("datasource")) {
          into.add(field.getValue());
        } else {
          collectDatasources(field.getValue(), into);
        }
      });
    } else if (node.isArray()) {
      node.forEach(child -> collectDatasources(child, into));
    }
  }
}
