package dev.lossbench.schema.repository;

import dev.lossbench.schema.record.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reading nullable columns without the JDBC habit of turning NULL into 0. */
final class Columns {
  private Columns() {}

  static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, Double.class);
  }

  static Integer nullableInt(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, Integer.class);
  }

  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, Long.class);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static RunStatus nullableRunStatus(ResultSet rs, String column) throws SQLException {
    String value = rs.getString(column);
    return value == null ? null : RunStatus.fromSql(value);
  }
}
