package dev.lossbench.workflows.benchmark;

import dev.lossbench.workflows.run.RunPhase;

/**
 * How many of a benchmark's runs are where: the figures that the {@code progress} query and the
 * summary carry instead of one entry per run (a matrix may have 10,000 runs; Temporal's payloads
 * must stay under 2 MB).
 *
 * @param total every cell of the matrix; of an adaptive one with sequential seeds, the cells linked so far
 * @param skipped runs that had already succeeded in an earlier submission (counted in {@code succeeded} too)
 * @param invalidInput failed runs whose failure was a user's data or configuration mistake
 *     ({@link dev.lossbench.workflows.FailureTypes#INVALID_INPUT}), counted in {@code failed} too
 * @param stopped runs an adaptive benchmark stopped at a rung of early stopping (0 in payloads written before)
 */
public record RunCounts(int total, int pending, int running, int succeeded, int failed, int diverged, int cancelled,
    int skipped, int invalidInput, int stopped) {

  public RunCounts(int total, int pending, int running, int succeeded, int failed, int diverged, int cancelled,
      int skipped, int invalidInput) {
    this(total, pending, running, succeeded, failed, diverged, cancelled, skipped, invalidInput, 0);
  }

  public static RunCounts none(int total) {
    return new RunCounts(total, total, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  public int of(RunPhase status) {
    return switch (status) {
      case PENDING -> pending;
      case RUNNING -> running;
      case SUCCEEDED -> succeeded;
      case FAILED -> failed;
      case DIVERGED -> diverged;
      case CANCELLED -> cancelled;
      case STOPPED -> stopped;
    };
  }

  /** Runs that ended: succeeded, failed, diverged, cancelled or stopped. */
  public int finished() {
    return succeeded + failed + diverged + cancelled + stopped;
  }

  /** Runs that ended without succeeding. */
  public int unsucceeded() {
    return failed + diverged + cancelled;
  }

  /** True when some run failed and every run that did not succeed failed on a user's data or configuration mistake. */
  public boolean onlyInvalidInput() {
    return failed > 0 && invalidInput == failed && diverged == 0 && cancelled == 0;
  }

  /** These counts with one more run ended as {@code status} (moved from running, or from pending when {@code wasRunning} is false). */
  RunCounts end(RunPhase status, boolean wasRunning, boolean isInvalidInput) {
    int p = wasRunning ? pending : pending - 1;
    int r = wasRunning ? running - 1 : running;
    return new RunCounts(total, p, r,
        succeeded + (status == RunPhase.SUCCEEDED ? 1 : 0),
        failed + (status == RunPhase.FAILED ? 1 : 0),
        diverged + (status == RunPhase.DIVERGED ? 1 : 0),
        cancelled + (status == RunPhase.CANCELLED ? 1 : 0),
        skipped, invalidInput + (status == RunPhase.FAILED && isInvalidInput ? 1 : 0),
        stopped + (status == RunPhase.STOPPED ? 1 : 0));
  }

  RunCounts start() {
    return new RunCounts(total, pending - 1, running + 1, succeeded, failed, diverged, cancelled, skipped, invalidInput,
        stopped);
  }

  /** A run that reached its rung waits for the rung's decision: pending again until it trains on or stops. */
  RunCounts pause() {
    return new RunCounts(total, pending + 1, running - 1, succeeded, failed, diverged, cancelled, skipped, invalidInput,
        stopped);
  }

  /** A stopped run promoted: pending again, until it starts. */
  RunCounts unstop() {
    return new RunCounts(total, pending + 1, running, succeeded, failed, diverged, cancelled, skipped, invalidInput,
        stopped - 1);
  }

  /** {@code n} more runs linked to the benchmark (the next seeds of sequential seeds), pending. */
  RunCounts add(int n) {
    return new RunCounts(total + n, pending + n, running, succeeded, failed, diverged, cancelled, skipped, invalidInput,
        stopped);
  }

  RunCounts skip(int n) {
    return new RunCounts(total, pending - n, running, succeeded + n, failed, diverged, cancelled, skipped + n,
        invalidInput, stopped);
  }

  /** Every run still pending ends as cancelled. */
  RunCounts cancelPending() {
    return new RunCounts(total, 0, running, succeeded, failed, diverged, cancelled + pending, skipped, invalidInput,
        stopped);
  }
}
