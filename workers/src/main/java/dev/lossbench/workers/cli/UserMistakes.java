package dev.lossbench.workers.cli;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.schema.DatabaseConfigurationException;
import dev.lossbench.schema.DatabaseConnectionException;
import dev.lossbench.schema.SchemaTooNewException;
import dev.lossbench.schema.embedded.EmbeddedPostgresException;
import io.grpc.Status;
import java.sql.SQLException;
import io.grpc.StatusRuntimeException;

/**
 * Which failures are the user's to fix — exit code 2 and the message alone on stderr — and how they read: a bad
 * matrix, data file or value ({@link InvalidInputException}), a database setting that is unusable, a database that
 * cannot be reached or refuses the login, an embedded PostgreSQL whose home is in use or from another version, a
 * database migrated by a newer lossbench, a Temporal frontend that cannot be reached.
 */
final class UserMistakes {
  private UserMistakes() {}

  /** The message to print, or {@code null} when {@code e} is not a user's mistake (an internal error). */
  static String message(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidInputException || t instanceof DatabaseConfigurationException
          || t instanceof DatabaseConnectionException || t instanceof EmbeddedPostgresException
          || t instanceof SchemaTooNewException) {
        return t.getMessage();
      }
      if (t instanceof SQLException q && lostConnection(q.getSQLState())) {
        return "lost the connection to the metrics store (" + String.valueOf(q.getMessage()).replace('\n', ' ')
            + "): is the database running and reachable from here? Then run the command again";
      }
      if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        return "cannot reach the Temporal frontend (" + s.getStatus().getDescription()
            + "): is it running, and is --temporal HOST:PORT right?";
      }
    }
    return null;
  }

  /**
   * A connection exception (class 08) or a server that shut down or is starting (57P01, 57P02, 57P03): the database went
   * away after the command connected to it.
   */
  private static boolean lostConnection(String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || sqlState.equals("57P01") || sqlState.equals("57P02")
        || sqlState.equals("57P03"));
  }
}
