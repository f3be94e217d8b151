package dev.lossbench.deploy.dashboards;

/**
 * The SQL of one panel target, as written in the dashboard (macros and variables not yet substituted).
 *
 * @param repeatVariable the variable the panel repeats over (one copy per value), or null
 */
public record PanelQuery(String dashboardUid, int panelId, String panelTitle, String refId, String rawSql,
    String repeatVariable) {

  @Override
  public String toString() {
    return dashboardUid + " panel " + panelId + " \"" + panelTitle + "\" (" + refId + ")";
  }
}
