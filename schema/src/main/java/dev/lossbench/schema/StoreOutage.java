package dev.lossbench.schema;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Which store errors mean "the database is not there right now" (stopped, restarting, failing over, unreachable) as
 * opposed to a statement it refused: the one place that decides, for the callers that wait such an outage out.
 */
public final class StoreOutage {
  private static final String HIKARI_CLOSED = "Connection is closed";

  private StoreOutage() {}

  /**
   * Whether {@code error} or one of its causes is a lost or refused connection: SQLSTATE class 08 (connection
   * exception), 57P01–57P03 (the server shutting down, crashed, or not accepting connections yet), the pool
   * finding no connection in time, or a pooled connection the pool closed after one of these.
   */
  public static boolean isOutage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
          return true;
        }
      }
      // HikariCP's stand-in for a connection it dropped after such an error, for the caller's next use of it
      // (no SQLSTATE): Flyway, for one, reports this second error rather than the first
      if (t instanceof SQLException sql && sql.getSQLState() == null && HIKARI_CLOSED.equals(sql.getMessage())) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
