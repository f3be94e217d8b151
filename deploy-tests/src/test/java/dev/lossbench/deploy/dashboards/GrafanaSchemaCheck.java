package dev.lossbench.deploy.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.deploy.ExternalCommand;
import dev.lossbench.deploy.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Type-checks dashboards against Grafana's published TypeScript schema (npm {@code @grafana/schema}) with tsc:
 * the whole dashboard against {@code Dashboard}, and each panel's options and custom field config against its
 * panel plugin's {@code Options} and {@code FieldConfig}. Each dashboard becomes a .ts file assigning its JSON to
 * a typed constant, so tsc's excess-property check rejects unknown fields and its literal types reject wrong
 * enum values.
 */
final class GrafanaSchemaCheck {
  /** Panel types with the @grafana/schema module of their options; a new panel type must be added here. */
  private static final Map<String, String> PANEL_SCHEMAS = Map.of(
      "table", "table/panelcfg/x/TablePanelCfg_types.gen",
      "stat", "stat/panelcfg/x/StatPanelCfg_types.gen",
      "barchart", "barchart/panelcfg/x/BarChartPanelCfg_types.gen",
      "trend", "trend/panelcfg/x/TrendPanelCfg_types.gen",
      "timeseries", "timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen",
      "text", "text/panelcfg/x/TextPanelCfg_types.gen");

  // JSON holds a string enum's values, not its members: accept the value (`${E}`) wherever the schema has an enum
  private static final String JSON_TYPE = """
      type Json<T> = T extends string ? T | `${T}`
          : T extends readonly (infer U)[] ? Json<U>[]
          : T extends object ? { [K in keyof T]: Json<T[K]> }
          : T;
      """;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path directory;

  GrafanaSchemaCheck(String name) {
    this.directory = ProjectFiles.buildDirectory(name);
  }

  /** Writes one .ts file per dashboard, runs tsc over them, and returns what it said. */
  ExternalCommand.Outcome check(Map<String, JsonNode> dashboards) {
    try {
      clean();
      Files.writeString(directory.resolve("tsconfig.json"), """
          {
            "compilerOptions": {
              "strict": true, "noEmit": true, "target": "es2022", "module": "esnext",
              "moduleResolution": "bundler", "skipLibCheck": true, "types": []
            },
            "include": ["*.ts"]
          }
          """);
      for (Map.Entry<String, JsonNode> dashboard : new TreeMap<>(dashboards).entrySet()) {
        Files.writeString(directory.resolve(dashboard.getKey() + ".ts"), typeScript(dashboard.getValue()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path tsc = ProjectFiles.nodePackage("typescript").resolve("bin/tsc");
    return ExternalCommand.run(directory, Duration.ofMinutes(3),
        List.of("node", tsc.toString(), "-p", directory.resolve("tsconfig.json").toString(), "--pretty", "false"));
  }

  private static String typeScript(JsonNode dashboard) throws IOException {
    StringBuilder ts = new StringBuilder("import type { Dashboard } from '@grafana/schema';\n");
    Map<String, Set<String>> imported = new TreeMap<>(); // module -> the types used from it
    StringBuilder panels = new StringBuilder();
    for (JsonNode panel : DashboardFile.panelsOf(dashboard)) {
      String type = panel.path("type").asText();
      if ("row".equals(type)) {
        continue;
      }
      String module = PANEL_SCHEMAS.get(type);
      if (module == null) {
        throw new IllegalArgumentException("panel " + panel.path("id") + " has type " + type
            + ", whose schema GrafanaSchemaCheck does not know yet; add it to PANEL_SCHEMAS");
      }
      String alias = type.substring(0, 1).toUpperCase() + type.substring(1);
      Set<String> used = imported.computeIfAbsent(module, m -> new TreeSet<>());
      used.add("Options as " + alias + "Options");
      int id = panel.path("id").asInt();
      panels.append("export const panel").append(id).append("Options: Json<").append(alias).append("Options> = ")
          .append(json(panel.path("options"))).append(";\n");
      JsonNode custom = panel.path("fieldConfig").path("defaults").path("custom");
      if (!custom.isMissingNode()) {
        used.add("FieldConfig as " + alias + "FieldConfig");
        panels.append("export const panel").append(id).append("Custom: Json<").append(alias)
            .append("FieldConfig> = ").append(json(custom)).append(";\n");
      }
    }
    imported.forEach((module, types) -> ts.append("import type { ").append(String.join(", ", types))
        .append(" } from '@grafana/schema/dist/esm/raw/composable/").append(module).append("';\n"));
    ts.append(JSON_TYPE);
    ts.append("export const dashboard: Json<Dashboard> = ").append(json(dashboard)).append(";\n");
    ts.append(panels);
    return ts.toString();
  }

  private static String json(JsonNode node) throws IOException {
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
  }

  private void clean() throws IOException {
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
  }
}
