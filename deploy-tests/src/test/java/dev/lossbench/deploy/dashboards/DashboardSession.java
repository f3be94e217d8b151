package dev.lossbench.deploy.dashboards;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One dashboard opened on a connection, as Grafana would: its variables resolved in order (each query variable's
 * SQL run with the values chosen so far), then panel SQL interpolated and run. Variables take Grafana's default —
 * the first option, or every option for a multi-value variable — unless the test chooses a value.
 */
final class DashboardSession {
  private final DashboardFile dashboard;
  private final Connection connection;
  private final Map<String, TemplateVariable> variables;
  private final Map<String, List<String>> options = new LinkedHashMap<>();
  private final Map<String, List<String>> selected = new LinkedHashMap<>();

  DashboardSession(DashboardFile dashboard, Connection connection, Map<String, String> chosen) throws SQLException {
    this.dashboard = dashboard;
    this.connection = connection;
    this.variables = dashboard.variables().stream()
        .collect(Collectors.toMap(TemplateVariable::name, Function.identity(), (a, b) -> {
          throw new IllegalStateException(dashboard.fileName() + " defines variable " + a.name() + " twice");
        }, LinkedHashMap::new));
    for (TemplateVariable variable : variables.values()) {
      if (!"query".equals(variable.type())) {
        throw new IllegalStateException(dashboard.fileName() + ": variable " + variable.name() + " is of type "
            + variable.type() + ", which this test does not resolve");
      }
      List<String> values = firstColumnOrValue(run(variable.query()));
      if (values.isEmpty()) {
        throw new IllegalStateException(dashboard.fileName() + ": variable " + variable.name()
            + " has no options on the fixture");
      }
      options.put(variable.name(), values);
      String choice = chosen.get(variable.name());
      if (choice != null && !values.contains(choice)) {
        throw new IllegalStateException(dashboard.fileName() + ": variable " + variable.name() + " does not offer "
            + choice + "; it offers " + values);
      }
      selected.put(variable.name(), choice != null
          ? List.of(choice)
          : variable.mayHoldSeveralValues() ? values : List.of(values.get(0)));
    }
  }

  /** The options the variable offered, in Grafana's order. */
  List<String> options(String variable) {
    return options.get(variable);
  }

  /** The panel's rows; a repeated panel is run once per value of its variable, the rows appended. */
  List<Map<String, Object>> rows(PanelQuery query) throws SQLException {
    if (query.repeatVariable() == null) {
      return run(query.rawSql());
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String value : selected.get(query.repeatVariable())) {
      Map<String, List<String>> one = new LinkedHashMap<>(selected);
      one.put(query.repeatVariable(), List.of(value));
      rows.addAll(execute(new GrafanaSqlInterpolation(variables, one).interpolate(query.rawSql())));
    }
    return rows;
  }

  List<Map<String, Object>> rows(String panelTitle) throws SQLException {
    return rows(dashboard.query(panelTitle));
  }

  private List<Map<String, Object>> run(String rawSql) throws SQLException {
    return execute(new GrafanaSqlInterpolation(variables, selected).interpolate(rawSql));
  }

  private List<Map<String, Object>> execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
          row.put(meta.getColumnLabel(c), rs.getObject(c));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new SQLException(e.getMessage() + "\n--- as sent:\n" + sql, e.getSQLState(), e);
    }
  }

  // Grafana's convention for SQL variables: a __value column (shown as __text) or else the first column
  private static List<String> firstColumnOrValue(List<Map<String, Object>> rows) {
    return rows.stream()
        .map(row -> String.valueOf(row.containsKey("__value") ? row.get("__value") : row.values().iterator().next()))
        .toList();
  }
}
