package dev.lossbench.workers.console;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.schema.StoreOutage;
import dev.lossbench.schema.embedded.EmbeddedPostgresException;
import dev.lossbench.schema.failure.DatabaseConfigurationException;
import dev.lossbench.schema.failure.DatabaseConnectionException;
import dev.lossbench.schema.failure.SchemaTooNewException;
import dev.lossbench.schema.failure.Secrets;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.SQLException;

/**
 * Which failures are the user's to fix — exit code 2 and the message alone on stderr — and how they read: a bad
 * matrix, data file or value ({@link InvalidInputException}), a database setting that is unusable, a database that
 * cannot be reached or refuses the login, an embedded PostgreSQL whose home is in use or from another version, a
 * database migrated by a newer lossbench, a Temporal frontend that cannot be reached, a metrics store that went
 * away while the command used it (a {@code run} on the same home ending under a {@code status}, a restart).
 */
public final class UserMistakes {
  private UserMistakes() {}

  /** The message to print, or {@code null} when {@code e} is not a user's mistake (an internal error). */
  public static String message(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidInputException || t instanceof DatabaseConfigurationException
          || t instanceof DatabaseConnectionException || t instanceof EmbeddedPostgresException
          || t instanceof SchemaTooNewException) {
        return t.getMessage();
      }
      if (t instanceof SQLException sql && StoreOutage.isOutage(sql)) {
        return "lost the connection to the metrics store ("
            + Secrets.mask(String.valueOf(sql.getMessage())).replace('\n', ' ')
            + "): is the database running and reachable from here? If a lossbench on this home was just ending, run the"
            + " command again";
      }
      if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        return "cannot reach the Temporal frontend (" + s.getStatus().getDescription()
            + "): is it running, and is --temporal HOST:PORT right?";
      }
    }
    return null;
  }
}
