package dev.lossbench.deploy.dashboards;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lossbench.deploy.ExternalCommand;
import dev.lossbench.deploy.ProjectFiles;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboards against Grafana's own schema (npm @grafana/schema), type-checked by tsc. */
class DashboardSchemaTest {

  @Test
  void everyDashboardAndPanelTypeChecksAgainstGrafanasSchema() {
    Map<String, JsonNode> dashboards = new LinkedHashMap<>();
    for (DashboardFile dashboard : DashboardFile.all()) {
      dashboards.put(dashboard.fileName().replace(".json", "").replace('-', '_'), dashboard.json());
    }

    ExternalCommand.Outcome tsc = new GrafanaSchemaCheck("grafana-schema-check").check(dashboards);

    assertTrue(tsc.succeeded(), tsc.report());
  }

  @Test
  void theCheckRejectsAnUnknownPanelFieldAndAWrongEnumValue() {
    JsonNode leaderboard = DashboardFile.read(ProjectFiles.dashboards().resolve("json/leaderboard.json")).json();
    ObjectNode misspelt = leaderboard.deepCopy();
    ObjectNode panel = (ObjectNode) misspelt.path("panels").get(0);
    panel.set("gridPoss", panel.remove("gridPos"));
    ObjectNode wrongEnum = leaderboard.deepCopy();
    // the bar chart, whose orientation is one of auto, horizontal, vertical (found by type: panels get added)
    JsonNode barChart = null;
    for (JsonNode p : wrongEnum.path("panels")) {
      if ("barchart".equals(p.path("type").asText()) && barChart == null) {
        barChart = p;
      }
    }
    assertNotNull(barChart, "leaderboard.json has a bar chart panel");
    ((ObjectNode) barChart.path("options")).put("orientation", "diagonal");

    ExternalCommand.Outcome tsc = new GrafanaSchemaCheck("grafana-schema-check-negative")
        .check(Map.of("misspelt", misspelt, "wrong_enum", wrongEnum));

    assertFalse(tsc.succeeded(), tsc.report());
    assertTrue(tsc.stdout().contains("misspelt.ts") && tsc.stdout().contains("gridPoss"), tsc.report());
    assertTrue(tsc.stdout().contains("wrong_enum.ts") && tsc.stdout().contains("diagonal"), tsc.report());
  }
}
