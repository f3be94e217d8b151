package dev.lossbench.workflows.benchmark;

/**
 * One run as the benchmark workflow knows it.
 *
 * @param status {@code pending|running|succeeded|failed|diverged|cancelled}
 * @param skipped true when it had already succeeded in an earlier submission
 */
public record RunState(String runId, String cellId, String dataset, String model, String loss, long seed, String status,
    String error, boolean skipped) {

  RunState with(String newStatus, String newError) {
    return new RunState(runId, cellId, dataset, model, loss, seed, newStatus, newError, skipped);
  }
}
