package dev.lossbench.deploy.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.deploy.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One dashboard of dashboards/json, with its panels (rows flattened) and template variables. */
public record DashboardFile(Path path, JsonNode json) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Every dashboard Grafana is provisioned with, by file name. */
  public static List<DashboardFile> all() {
    Path directory = ProjectFiles.dashboards().resolve("json");
    try (Stream<Path> files = Files.list(directory)) {
      List<DashboardFile> dashboards = files.filter(p -> p.getFileName().toString().endsWith(".json"))
          .sorted()
          .map(DashboardFile::read)
          .toList();
      if (dashboards.isEmpty()) {
        throw new IllegalStateException("no dashboards in " + directory);
      }
      return dashboards;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static DashboardFile read(Path path) {
    try {
      return new DashboardFile(path, MAPPER.readTree(path.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dashboard " + path, e);
    }
  }

  public String fileName() {
    return path.getFileName().toString();
  }

  public String uid() {
    return json.path("uid").asText(null);
  }

  /** Every panel, including those inside collapsed rows (which keep theirs in the row's "panels"). */
  public List<JsonNode> panels() {
    return panelsOf(json);
  }

  static List<JsonNode> panelsOf(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  public List<TemplateVariable> variables() {
    List<TemplateVariable> variables = new ArrayList<>();
    for (JsonNode variable : json.path("templating").path("list")) {
      variables.add(TemplateVariable.of(variable));
    }
    return variables;
  }

  /** The SQL of every panel target, with what the panel needs to run it. */
  public List<PanelQuery> queries() {
    List<PanelQuery> queries = new ArrayList<>();
    for (JsonNode panel : panels()) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("rawSql")) {
          queries.add(new PanelQuery(uid(), panel.path("id").asInt(), panel.path("title").asText(),
              target.path("refId").asText(), target.path("rawSql").asText(),
              panel.path("repeat").asText(null)));
        }
      }
    }
    return queries;
  }

  /** The panel with this title; the tests name the panels they read closely. */
  public PanelQuery query(String panelTitle) {
    return queries().stream()
        .filter(q -> q.panelTitle().equals(panelTitle))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(fileName() + " has no panel titled " + panelTitle));
  }
}
