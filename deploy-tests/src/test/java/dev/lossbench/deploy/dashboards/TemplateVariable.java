package dev.lossbench.deploy.dashboards;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A dashboard template variable.
 *
 * @param query the SQL of a query variable (null for other types)
 * @param multi whether several values may be selected; {@code includeAll} adds "All" (every value)
 */
public record TemplateVariable(String name, String type, String query, boolean multi, boolean includeAll) {

  static TemplateVariable of(JsonNode json) {
    JsonNode query = json.path("query");
    // Grafana's SQL datasources keep a query variable's SQL as a string; newer editors as {"rawSql": ...}
    String sql = query.isTextual() ? query.asText() : query.path("rawSql").asText(null);
    return new TemplateVariable(json.path("name").asText(), json.path("type").asText(), sql,
        json.path("multi").asBoolean(false), json.path("includeAll").asBoolean(false));
  }

  /** Whether Grafana may hand a panel several values at once (then it interpolates them as a list). */
  public boolean mayHoldSeveralValues() {
    return multi || includeAll;
  }
}
