package dev.lossbench.schema.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lossbench.schema.record.BenchmarkStatus;
import dev.lossbench.schema.record.RunEventKind;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The enums' stored words are exactly what the schema allows (the CHECK constraints of V1), so that renaming a
 * constant cannot silently change what is written, and every stored word reads back as its constant.
 */
@ExtendWith(MetricsStoreExtension.class)
class StatusTextTest {
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

  private final TestDatabase db;

  StatusTextTest(TestDatabase db) {
    this.db = db;
  }

  @Test
  void runStatusesAreTheWordsTheRunTableAllows() throws SQLException {
    assertEquals(allowed("run_status_known"), words(RunStatus.values(), RunStatus::sqlName));
    assertEquals(List.of("pending", "running", "succeeded", "failed", "diverged", "cancelled", "stopped"),
        words(RunStatus.values(), RunStatus::sqlName), "stored rows stay byte-compatible");
    for (RunStatus status : RunStatus.values()) {
      assertEquals(status, RunStatus.fromSql(status.sqlName()));
    }
  }

  @Test
  void benchmarkStatusesAndEventKindsAreTheWordsTheirTablesAllow() throws SQLException {
    assertEquals(allowed("benchmark_status_known"), words(BenchmarkStatus.values(), BenchmarkStatus::sqlName));
    assertEquals(allowed("run_event_kind_known"), words(RunEventKind.values(), RunEventKind::sqlName));
  }

  @Test
  void anUnknownStatusWordIsRefusedNamingTheKnownOnes() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> RunStatus.fromSql("done"));
    assertEquals("unknown run status 'done'; known: pending, running, succeeded, failed, diverged, cancelled, stopped",
        refused.getMessage());
  }

  @Test
  void finishedAndUnsuccessfulStatuses() {
    assertEquals(List.of(RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.DIVERGED, RunStatus.CANCELLED,
        RunStatus.STOPPED),
        Arrays.stream(RunStatus.values()).filter(RunStatus::isFinished).toList());
    assertEquals(List.of(RunStatus.FAILED, RunStatus.DIVERGED, RunStatus.CANCELLED),
        Arrays.stream(RunStatus.values()).filter(RunStatus::isUnsuccessful).toList());
  }

  private static <E> List<String> words(E[] values, Function<E, String> sql) {
    return Arrays.stream(values).map(sql).toList();
  }

  /** The quoted words of a CHECK (column IN (...)) constraint, in their order. */
  private List<String> allowed(String constraint) throws SQLException {
    try (Connection c = db.dataSource(TestDatabase.DATABASE).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = '"
            + constraint + "'")) {
      if (!rs.next()) {
        throw new AssertionError("no constraint " + constraint);
      }
      List<String> words = new ArrayList<>();
      Matcher m = QUOTED.matcher(rs.getString(1));
      while (m.find()) {
        words.add(m.group(1));
      }
      return words;
    }
  }
}
