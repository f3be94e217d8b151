package dev.lossbench.workflows.run;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One cell of a matrix: train (queue gpu), evaluate (queue gpu), record the final status. */
@WorkflowInterface
public interface RunWorkflow {
  @WorkflowMethod
  RunOutcome run(RunRequest request);
}
