package dev.lossbench.schema.repository;

import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.failure.StaleAttemptException;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Require;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The attempts on each run. Which one holds it: a training attempt claims its run ({@link #claim}), an evaluation
 * attempt claims it for its results ({@link #claimEvaluation}), and every fenced write ({@link EpochMetricRepository},
 * {@link ResultRepository}, {@link #recordCheckpoint}) writes only while its claim still holds the run
 * ({@link #HOLDS}), so that an attempt presumed lost and replaced cannot overwrite the figures of the attempt that
 * replaced it; the claim lives on the {@code run} row ({@code claim_execution}, {@code claim_attempt}). And what the
 * latest attempt records on the run row: its checkpoint, its device and the device memory it used. The run's status
 * changes are {@link RunRepository}'s.
 */
public final class RunAttempts {
  private final Jdbi jdbi;

  public RunAttempts(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Starts a training attempt, as {@link RunRepository#start}, and makes it the one attempt that may write the
   * run's figures ({@link EpochMetricRepository#upsert(EpochMetric, AttemptClaim)},
   * {@link #recordCheckpoint(String, String, Integer, AttemptClaim)}, {@link #checkClaim}): the attempt
   * that claimed before it is stale from here on.
   *
   * @throws StaleAttemptException when a later attempt of the same execution has already claimed the run (this
   *     one was presumed lost and replaced before it even started); nothing changes
   */
  public Run claim(String runId, String worker, AttemptClaim claim) {
    Require.text(worker, "worker");
    return jdbi.inTransaction(h -> {
      Optional<AttemptClaim> holder = h.createQuery(
          "SELECT claim_execution, claim_attempt FROM run WHERE id = :id FOR UPDATE")
          .bind("id", runId)
          .map((rs, ctx) -> Rows.attemptClaim(rs))
          .findFirst();
      if (holder.isPresent() && holder.get().execution().equals(claim.execution())
          && holder.get().attempt() > claim.attempt()) {
        throw new StaleAttemptException(runId, claim, "the run is held by " + holder.get());
      }
      RunRepository.transition(h, runId, RunStatus.RUNNING, worker, null);
      return h.createQuery("UPDATE run SET claim_execution = :execution, claim_attempt = :attempt"
          + " WHERE id = :id RETURNING " + Rows.RUN_COLUMNS)
          .bind("id", runId)
          .bind("execution", claim.execution())
          .bind("attempt", claim.attempt())
          .map(Rows::run)
          .one();
    });
  }

  /**
   * Makes the evaluation attempt {@code claim} the one that may write the run's results
   * ({@link ResultRepository#upsert(Result, AttemptClaim)}): the training attempt, or an evaluation attempt,
   * that held the run before it is stale from here on. Unlike {@link #claim}, not a training attempt: the run's
   * status and attempt count stay as they are.
   *
   * @throws StaleAttemptException when the run is not running (nothing to evaluate for) or a later attempt of the
   *     same execution has already claimed it; nothing changes
   */
  public void claimEvaluation(String runId, AttemptClaim claim) {
    jdbi.useTransaction(h -> {
      int updated = h.createUpdate("""
          UPDATE run SET claim_execution = :execution, claim_attempt = :attempt
           WHERE id = :id AND status = :running
             AND NOT coalesce(claim_execution = :execution AND claim_attempt > :attempt, false)""")
          .bind("id", runId)
          .bindMap(holds(claim))
          .execute();
      if (updated == 0) {
        throw stale(h, runId, claim);
      }
    });
  }

  /**
   * Checks that {@code claim} still holds the run: it is running and no later attempt has claimed it. Called
   * before an attempt puts a file in place (a checkpoint) that the store's fencing cannot cover.
   *
   * @throws StaleAttemptException when it does not
   * @throws NotFoundException when there is no such run
   */
  public void checkClaim(String runId, AttemptClaim claim) {
    jdbi.useHandle(h -> {
      boolean holds = h.createQuery("SELECT " + HOLDS + " FROM run WHERE id = :id")
          .bind("id", runId)
          .bindMap(holds(claim))
          .mapTo(Boolean.class)
          .findOne()
          .orElseThrow(() -> new NotFoundException("run", runId));
      if (!holds) {
        throw stale(h, runId, claim);
      }
    });
  }

  /**
   * Records the latest checkpoint, and the best epoch so far when {@code bestEpoch} is not null, by the attempt
   * holding {@code claim} ({@link #claim}), in one conditional UPDATE: refused, with nothing written, when
   * the claim no longer holds the run.
   *
   * @throws StaleAttemptException when the claim no longer holds the run
   * @throws NotFoundException when there is no such run
   */
  public Run recordCheckpoint(String runId, String checkpointLocation, Integer bestEpoch, AttemptClaim claim) {
    Require.text(checkpointLocation, "checkpoint location");
    if (bestEpoch != null) {
      Require.nonNegative(bestEpoch, "best epoch");
    }
    return jdbi.withHandle(h -> h.createQuery("""
        UPDATE run
           SET checkpoint_location = :location,
               best_epoch = coalesce(:bestEpoch, best_epoch)
         WHERE id = :id AND\s""" + HOLDS + "\nRETURNING " + Rows.RUN_COLUMNS)
        .bind("id", runId)
        .bind("location", checkpointLocation)
        .bind("bestEpoch", bestEpoch)
        .bindMap(holds(claim))
        .map(Rows::run)
        .findOne()
        .orElseThrow(() -> stale(h, runId, claim)));
  }

  /**
   * Records where the latest attempt trains, at its start: {@code device} (e.g. {@code cpu}, {@code cuda:0 (NVIDIA
   * H200)}) and the device memory in use then ({@code null} on the CPU), replacing an earlier attempt's figures.
   */
  public Run recordDevice(String runId, String device, Long deviceMemoryBytes) {
    Require.text(device, "device");
    return jdbi.withHandle(h -> h.createQuery("""
        UPDATE run
           SET device = :device,
               peak_device_memory_bytes = :bytes
         WHERE id = :id
        RETURNING\s""" + Rows.RUN_COLUMNS)
        .bind("id", runId)
        .bind("device", device)
        .bind("bytes", nonNegative(deviceMemoryBytes))
        .map(Rows::run)
        .findOne()
        .orElseThrow(() -> new NotFoundException("run", runId)));
  }

  /** Raises the latest attempt's peak device memory to {@code deviceMemoryBytes} when that is more; null changes nothing. */
  public Run recordDeviceMemory(String runId, Long deviceMemoryBytes) {
    return jdbi.withHandle(h -> h.createQuery("""
        UPDATE run
           SET peak_device_memory_bytes = greatest(peak_device_memory_bytes, :bytes)
         WHERE id = :id
        RETURNING\s""" + Rows.RUN_COLUMNS)
        .bind("id", runId)
        .bind("bytes", nonNegative(deviceMemoryBytes))
        .map(Rows::run)
        .findOne()
        .orElseThrow(() -> new NotFoundException("run", runId)));
  }

  private static Long nonNegative(Long bytes) {
    if (bytes != null && bytes < 0) {
      throw new IllegalArgumentException("device memory must not be negative, got " + bytes);
    }
    return bytes;
  }

  /** SQL: the run row is running and held by the claim bound by {@link #holds} (:running, :execution, :attempt). */
  static final String HOLDS = "coalesce(status = :running AND claim_execution = :execution AND claim_attempt = :attempt, false)";

  /** The values {@link #HOLDS} reads, for {@code bindMap}: the running status and {@code claim}. */
  static Map<String, Object> holds(AttemptClaim claim) {
    return Map.of("running", RunStatus.RUNNING.sqlName(), "execution", claim.execution(), "attempt", claim.attempt());
  }

  /** Why {@code claim} does not hold the run, as the exception to throw (NotFoundException if there is no run). */
  static RuntimeException stale(Handle h, String runId, AttemptClaim claim) {
    Optional<String> holder = h.createQuery("SELECT status, claim_execution, claim_attempt FROM run WHERE id = :id")
        .bind("id", runId)
        .map((rs, ctx) -> {
          RunStatus status = RunStatus.fromSql(rs.getString("status"));
          AttemptClaim last = Rows.attemptClaim(rs);
          String by = last == null ? "no attempt" : last.toString();
          return status == RunStatus.RUNNING
              ? "the run is held by " + by
              : "the run is " + status.sqlName() + ", last claimed by " + by;
        })
        .findOne();
    if (holder.isEmpty()) {
      return new NotFoundException("run", runId);
    }
    return new StaleAttemptException(runId, claim, holder.get());
  }
}
