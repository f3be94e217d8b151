package dev.lossbench.schema;

import dev.lossbench.schema.failure.DatabaseConfigurationException;
import dev.lossbench.schema.failure.DatabaseConnectionException;
import dev.lossbench.schema.failure.Secrets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The oldest PostgreSQL lossbench runs on: 15, the oldest release it has been tried on (an external Debian PostgreSQL
 * 15 with a non-superuser owner; the embedded server is 17). Older servers are refused at connect with one line,
 * rather than failing later in a migration or a view.
 */
public final class PostgresVersion {
  public static final int MINIMUM_MAJOR = 15;

  private PostgresVersion() {}

  /**
   * Reads {@code server_version_num} and refuses a server older than {@link #MINIMUM_MAJOR}.
   *
   * @return the server's version number, e.g. {@code 170005}
   * @throws DatabaseConfigurationException when the server is older
   */
  public static int check(DataSource dataSource, String description) {
    int number;
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW server_version_num")) {
      rs.next();
      number = Integer.parseInt(rs.getString(1).trim());
    } catch (SQLException e) {
      throw new DatabaseConnectionException("cannot read the server version of " + description + ": "
          + Secrets.mask(String.valueOf(e.getMessage())));
    }
    require(number, description);
    return number;
  }

  /** Refuses {@code serverVersionNum} (PostgreSQL's {@code server_version_num}, e.g. 140011) below the minimum. */
  static void require(int serverVersionNum, String description) {
    int major = serverVersionNum / 10000;
    if (major < MINIMUM_MAJOR) {
      throw new DatabaseConfigurationException(
          description + " runs PostgreSQL " + major + "." + serverVersionNum % 10000
              + ": lossbench needs PostgreSQL " + MINIMUM_MAJOR + " or newer");
    }
  }
}
