package dev.lossbench.workers.activities;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.retrieval.eval.Embeddings;
import dev.lossbench.retrieval.eval.EvaluationProtocol;
import dev.lossbench.retrieval.eval.GeneralisationGap;
import dev.lossbench.retrieval.eval.RecallMetrics;
import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.train.ModelAssembly;
import dev.lossbench.retrieval.train.TrainedModel;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.Result;
import dev.lossbench.workflows.activities.EvaluationActivities;
import dev.lossbench.workflows.activities.RunPlan;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import java.nio.file.Path;

/**
 * Evaluates a run's best checkpoint under every protocol of its dataset and stores one result row
 * each, heartbeating after every encoded batch.
 */
public final class EvaluationActivitiesImpl implements EvaluationActivities {
  private final MetricsStore store;
  private final SplitOpener datasets;
  private final OutageWait outageWait;

  public EvaluationActivitiesImpl(MetricsStore store) {
    this(store, SplitOpener.STANDARD);
  }

  public EvaluationActivitiesImpl(MetricsStore store, SplitOpener datasets) {
    this.store = store;
    this.datasets = datasets;
    this.outageWait = OutageWait.fromEnvironment(System.getenv());
  }

  @Override
  public void evaluate(RunPlan plan, String checkpoint) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ActivityInfo info = context.getInfo();
    // fencing, as training does: a later attempt (this one presumed lost) makes this one's writes stale
    AttemptClaim claim = new AttemptClaim(info.getWorkflowId() + "/" + info.getRunId() + "/" + info.getActivityId(),
        info.getAttempt());
    Failures.classify(() -> {
      context.heartbeat(null);
      outageWait.run("run " + plan.runId(), () -> store.runAttempts().claimEvaluation(plan.runId(), claim),
          () -> context.heartbeat(null));
      try (NDManager manager = EngineSettings.newBaseManager();
          TrainedModel trained = ModelAssembly.restore(Path.of(checkpoint), manager)) {
        for (EvaluationProtocol p : plan.cell().dataset().protocols()) {
          context.heartbeat(p.id());
          if (p == EvaluationProtocol.GAP) {
            storeGap(plan, trained, manager, claim);
            continue;
          }
          RetrievalDataset data = datasets.open(plan.cell().dataset(), Path.of(plan.data().directory()), p.split(),
              plan.cell().modelSpec());
          // a test set takes minutes: beat after every batch (the SDK throttles what it sends)
          RecallMetrics m = Embeddings.recall(trained.model(), data, trained.tokenizer(), manager, p.folds(),
              (done, total) -> context.heartbeat(p.id()));
          storeResult(MetricRecords.result(plan.runId(), p.id(), m), claim);
        }
      }
      keepWhatThePolicySays(plan, Path.of(checkpoint));
      return null;
    });
  }

  /**
   * Once every result is stored, the run directory keeps what the matrix's {@code checkpoints} says (by default
   * only the best weights and module). Not earlier: a run whose evaluation failed is resumed from its last
   * checkpoint, not trained again.
   */
  private static void keepWhatThePolicySays(RunPlan plan, Path checkpoint) {
    Path runDir = checkpoint.toAbsolutePath().getParent();
    if (!checkpoint.toAbsolutePath().equals(ArtifactsLayout.bestCheckpoint(runDir))) {
      return; // not a run directory's best checkpoint
    }
    plan.cell().trainingConfig().checkpoints().afterSuccess(runDir);
  }

  /**
   * {@link EvaluationProtocol#GAP}: Recall@K on the first n training images and on the first n images of the
   * primary protocol's split (n the smaller split's size), stored as rows {@code gap-train} and {@code gap-test}.
   */
  private void storeGap(RunPlan plan, TrainedModel trained, NDManager manager, AttemptClaim claim) {
    Path dir = Path.of(plan.data().directory());
    RetrievalDataset train = datasets.open(plan.cell().dataset(), dir, DatasetSplit.TRAIN, plan.cell().modelSpec());
    RetrievalDataset test = datasets.open(plan.cell().dataset(), dir,
        plan.cell().dataset().primaryProtocol().split(), plan.cell().modelSpec());
    GeneralisationGap gap = GeneralisationGap.evaluate(trained.model(), train, test, trained.tokenizer(), manager);
    storeResult(MetricRecords.result(plan.runId(), EvaluationProtocol.GAP_TRAIN, gap.train()), claim);
    storeResult(MetricRecords.result(plan.runId(), EvaluationProtocol.GAP_TEST, gap.test()), claim);
  }

  // a database outage waits (heartbeating) rather than throwing away the evaluation done so far
  private void storeResult(Result result, AttemptClaim claim) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    outageWait.call("run " + result.runId(), () -> store.results().upsert(result, claim),
        () -> context.heartbeat(result.split()));
  }
}
