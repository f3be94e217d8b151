package dev.lossbench.schema.repository;

import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.Require;
import dev.lossbench.schema.record.RunEvent;
import dev.lossbench.schema.record.RunEventKind;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The append-only {@code run_event} log. Status changes are logged by {@link RunRepository} itself; this adds
 * free-text notes and reads the history. The database refuses UPDATE and DELETE on the table.
 */
public final class RunEventRepository {
  private final Jdbi jdbi;

  public RunEventRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Appends a note (e.g. "resumed from checkpoint epoch 7").
   *
   * @param worker who wrote it; may be null
   * @throws NotFoundException when the run is not registered
   */
  public RunEvent note(String runId, String message, String worker) {
    Require.text(message, "message");
    try {
      return jdbi.withHandle(h -> h.createQuery("""
          INSERT INTO run_event (run_id, kind, worker, message)
          VALUES (:runId, :kind, :worker, :message)
          RETURNING\s""" + Rows.RUN_EVENT_COLUMNS)
          .bind("runId", runId)
          .bind("kind", RunEventKind.NOTE.sqlName())
          .bind("worker", worker)
          .bind("message", message)
          .map(Rows::runEvent)
          .one());
    } catch (RuntimeException e) {
      if (SqlFailure.of(e).filter(f -> f.is(SqlFailure.FOREIGN_KEY_VIOLATION, "run_event_run_fk")).isPresent()) {
        throw new NotFoundException("run", runId);
      }
      throw e;
    }
  }

  /** The run's history, oldest first. */
  public List<RunEvent> forRun(String runId) {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT " + Rows.RUN_EVENT_COLUMNS + " FROM run_event WHERE run_id = :runId ORDER BY id")
            .bind("runId", runId)
            .map(Rows::runEvent)
            .list());
  }
}
