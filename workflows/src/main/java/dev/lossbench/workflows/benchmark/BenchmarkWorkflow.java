package dev.lossbench.workflows.benchmark;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A whole matrix: records it, prepares each dataset once, runs a child {@code RunWorkflow} per cell
 * with a bounded number in flight, skips cells that already succeeded, keeps going when a cell
 * fails, and ends with a summary. Its workflow id is the benchmark id, so submitting the same
 * matrix twice finds the running one.
 */
@WorkflowInterface
public interface BenchmarkWorkflow {
  @WorkflowMethod
  BenchmarkSummary run(BenchmarkRequest request);

  @QueryMethod
  BenchmarkProgress progress();
}
