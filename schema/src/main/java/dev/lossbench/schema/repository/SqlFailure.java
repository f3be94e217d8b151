package dev.lossbench.schema.repository;

import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** The SQLSTATE and constraint name of a failed statement, to turn constraint violations into typed errors. */
record SqlFailure(String sqlState, String constraint) {
  static final String FOREIGN_KEY_VIOLATION = "23503";
  static final String UNIQUE_VIOLATION = "23505";

  static Optional<SqlFailure> of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String constraint = null;
        if (sql instanceof PSQLException psql) {
          ServerErrorMessage detail = psql.getServerErrorMessage();
          constraint = detail == null ? null : detail.getConstraint();
        }
        return Optional.of(new SqlFailure(sql.getSQLState(), constraint));
      }
    }
    return Optional.empty();
  }

  boolean is(String state, String constraintName) {
    return state.equals(sqlState) && constraintName.equals(constraint);
  }
}
