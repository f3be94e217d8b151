package dev.lossbench.workflows.run;

import dev.lossbench.workflows.ActivityPolicies;
import dev.lossbench.workflows.FailureTypes;
import dev.lossbench.workflows.activities.EvaluationActivities;
import dev.lossbench.workflows.activities.RunPlan;
import dev.lossbench.workflows.activities.StoreActivities;
import dev.lossbench.workflows.activities.TrainingActivities;
import dev.lossbench.workflows.activities.TrainingOutcome;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;

/** Deterministic: no I/O, clocks or randomness; everything happens in activities. */
public final class RunWorkflowImpl implements RunWorkflow {
  private final StoreActivities store = Workflow.newActivityStub(StoreActivities.class, ActivityPolicies.store());

  @Override
  public RunOutcome run(RunRequest request) {
    RunPlan plan = request.plan();
    TrainingActivities training = Workflow.newActivityStub(TrainingActivities.class,
        ActivityPolicies.training(request.settings()));
    EvaluationActivities evaluation = Workflow.newActivityStub(EvaluationActivities.class,
        ActivityPolicies.evaluation(request.settings()));
    try {
      TrainingOutcome trained = training.train(plan);
      if (plan.toRung()) {
        // a rung of early stopping: the benchmark decides from the rung's validation whether it goes on (plans
        // made before rungs have no untilEpochs, so their histories replay down the branch below)
        return new RunOutcome(plan.runId(), RunPhase.RUNNING, null);
      }
      evaluation.evaluate(plan, trained.bestCheckpoint());
      store.finishRun(plan.runId(), RunPhase.SUCCEEDED, null);
      return new RunOutcome(plan.runId(), RunPhase.SUCCEEDED, null);
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure) {
        return cancelled(plan);
      }
      RunPhase status = FailureTypes.DIVERGED.equals(type(e)) ? RunPhase.DIVERGED : RunPhase.FAILED;
      String message = FailureTypes.messageOf(e);
      store.finishRun(plan.runId(), status, message);
      return new RunOutcome(plan.runId(), status, message, FailureTypes.typeOf(e));
    } catch (CanceledFailure e) {
      return cancelled(plan);
    }
  }

  private RunOutcome cancelled(RunPlan plan) {
    // the workflow's own scope is cancelled: record the status from a scope that is not
    Workflow.newDetachedCancellationScope(() -> store.finishRun(plan.runId(), RunPhase.CANCELLED, "cancelled")).run();
    return new RunOutcome(plan.runId(), RunPhase.CANCELLED, "cancelled");
  }

  private static String type(ActivityFailure e) {
    return e.getCause() instanceof ApplicationFailure a ? a.getType() : null;
  }
}
