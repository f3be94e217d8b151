package dev.lossbench.schema.repository;

import static dev.lossbench.schema.repository.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.RunEvent;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MetricsStoreExtension.class)
class RunEventAppendOnlyTest {

  @Test
  void theEventLogRefusesUpdateAndDelete(MetricsStore store, TestDatabase db) throws SQLException {
    Fixtures.registerBenchmarkAndDataset(store);
    store.runs().register(run("r1", "triplet-hn", 1));
    store.runs().start("r1", "gpu-0");
    List<RunEvent> before = store.runEvents().forRun("r1");

    try (Connection c = db.dataSource(TestDatabase.DATABASE).getConnection(); Statement s = c.createStatement()) {
      SQLException update = assertThrows(SQLException.class,
          () -> s.executeUpdate("UPDATE run_event SET message = 'rewritten history'"));
      SQLException delete = assertThrows(SQLException.class,
          () -> s.executeUpdate("DELETE FROM run_event WHERE run_id = 'r1'"));

      assertTrue(update.getMessage().contains("run_event is append-only: UPDATE"), update.getMessage());
      assertTrue(delete.getMessage().contains("run_event is append-only: DELETE"), delete.getMessage());
    }
    assertEquals(before, store.runEvents().forRun("r1"));
  }
}
