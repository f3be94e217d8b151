package dev.lossbench.schema.repository;

import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.Require;
import dev.lossbench.schema.record.TrainingAttempt;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code training_attempt} table: compute accounting. An attempt is recorded when it claims its run and
 * counts each epoch it finishes with the training loop's seconds for it; what it trained is never rewritten. An
 * attempt that fails records why ({@link #recordFailure}); one that left no result is marked lost by the next.
 */
public final class TrainingAttemptRepository {
  private final Jdbi jdbi;

  public TrainingAttemptRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Records the attempt holding {@code claim} as started by {@code benchmarkId}'s submission (idempotent). Earlier
   * attempts of the same execution that recorded no failure left no result (Temporal retries an attempt only when
   * it failed or stopped heartbeating): each is marked {@code lost: no result from attempt N}.
   */
  public void begin(String runId, String benchmarkId, AttemptClaim claim, String worker, String device) {
    jdbi.useTransaction(h -> {
      try {
        h.createUpdate("""
            INSERT INTO training_attempt (run_id, benchmark_id, claim_execution, claim_attempt, worker, device)
            VALUES (:runId, :benchmarkId, :execution, :attempt, :worker, :device)
            ON CONFLICT (run_id, claim_execution, claim_attempt) DO NOTHING""")
            .bind("runId", runId)
            .bind("benchmarkId", benchmarkId)
            .bind("execution", claim.execution())
            .bind("attempt", claim.attempt())
            .bind("worker", Require.text(worker, "worker"))
            .bind("device", device)
            .execute();
      } catch (RuntimeException e) {
        throw SqlFailure.of(e)
            .filter(f -> f.is(SqlFailure.FOREIGN_KEY_VIOLATION, "training_attempt_run_fk"))
            .<RuntimeException>map(f -> new NotFoundException("run", runId))
            .orElse(e);
      }
      h.createUpdate("""
          UPDATE training_attempt
             SET failure = 'lost: no result from attempt ' || claim_attempt
           WHERE run_id = :runId AND claim_execution = :execution AND claim_attempt < :attempt
             AND failure IS NULL""")
          .bind("runId", runId)
          .bind("execution", claim.execution())
          .bind("attempt", claim.attempt())
          .execute();
    });
  }

  /**
   * Records how the attempt holding {@code claim} ended when it failed: {@code message}, one line. The first
   * reason recorded stays (a stale attempt already marked lost by its successor keeps that); false when the
   * attempt has a reason already or was never recorded.
   */
  public boolean recordFailure(String runId, AttemptClaim claim, String message) {
    return jdbi.withHandle(h -> h.createUpdate("""
        UPDATE training_attempt SET failure = :message
         WHERE run_id = :runId AND claim_execution = :execution AND claim_attempt = :attempt
           AND failure IS NULL""")
        .bind("runId", runId)
        .bind("execution", claim.execution())
        .bind("attempt", claim.attempt())
        .bind("message", Require.text(message, "message"))
        .execute()) == 1;
  }

  /** Counts one more epoch trained by the attempt holding {@code claim}, taking {@code seconds}. */
  public void recordEpoch(String runId, AttemptClaim claim, double seconds) {
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("epoch seconds must be finite and non-negative, got " + seconds);
    }
    int updated = jdbi.withHandle(h -> h.createUpdate("""
        UPDATE training_attempt
           SET epochs_trained = epochs_trained + 1,
               training_seconds = training_seconds + :seconds,
               last_epoch_at = now()
         WHERE run_id = :runId AND claim_execution = :execution AND claim_attempt = :attempt""")
        .bind("runId", runId)
        .bind("execution", claim.execution())
        .bind("attempt", claim.attempt())
        .bind("seconds", seconds)
        .execute());
    if (updated == 0) {
      throw new NotFoundException("training attempt", claim + " of run " + runId);
    }
  }

  /**
   * Epochs and training seconds summed over every attempt of each run of the benchmark (whichever benchmark's
   * submission ran them), in one query: run id → totals; runs never trained are absent.
   */
  public Map<String, AttemptTotals> totalsForBenchmark(String benchmarkId) {
    Map<String, AttemptTotals> byRun = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("""
        SELECT a.run_id, sum(a.epochs_trained) AS epochs, sum(a.training_seconds) AS seconds
          FROM training_attempt a
          JOIN benchmark_run l ON l.run_id = a.run_id
         WHERE l.benchmark_id = :benchmarkId
         GROUP BY a.run_id""")
        .bind("benchmarkId", benchmarkId)
        .map((rs, ctx) -> new AttemptTotals(rs.getString("run_id"), rs.getInt("epochs"), rs.getDouble("seconds")))
        .forEach(t -> byRun.put(t.runId(), t)));
    return byRun;
  }

  /** What a run's attempts trained, summed. */
  public record AttemptTotals(String runId, int epochsTrained, double trainingSeconds) {}

  /** The run's attempts, oldest first. */
  public List<TrainingAttempt> byRun(String runId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM training_attempt WHERE run_id = :runId ORDER BY id")
        .bind("runId", runId)
        .map(Rows::trainingAttempt)
        .list());
  }
}
