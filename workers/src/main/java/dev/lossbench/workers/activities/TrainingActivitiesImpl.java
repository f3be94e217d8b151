package dev.lossbench.workers.activities;

import ai.djl.Device;
import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.engine.CudaDevices;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.train.EpochMetrics;
import dev.lossbench.retrieval.train.TrainingListener;
import dev.lossbench.retrieval.train.TrainingLoop;
import dev.lossbench.retrieval.train.TrainingResult;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.failure.StaleAttemptException;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.workflows.activities.RunPlan;
import dev.lossbench.workflows.activities.TrainingActivities;
import dev.lossbench.workflows.activities.TrainingOutcome;
import dev.lossbench.workflows.activities.TrainingProgress;
import dev.lossbench.workflows.matrix.Cell;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one run. A retry — after a worker died, or after the database was briefly down —
 * continues from the run's last checkpoint under {@code artifacts/runs/RUN_ID}; epoch metrics are
 * upserted, so an epoch written twice is still one row. The run records the device the attempt
 * trains on and, on a GPU, the most device memory seen in use (at the start, each epoch's end and
 * the end). It heartbeats at the start, after every
 * step and after every validation batch, so that only a worker that stopped working (dead, hung)
 * misses the heartbeat timeout, however long an epoch's validation takes.
 *
 * <p>Fencing: each attempt claims the run in the store ({@link AttemptClaim}: the workflow run, the
 * activity and Temporal's attempt number) and writes only while it holds the claim — epoch rows,
 * the checkpoint pointer and best epoch in the store, and its checkpoint files, which it checks the
 * claim for just before each is renamed into place. An attempt presumed lost (a worker paused or
 * cut off from Temporal past the heartbeat timeout) that comes back after its replacement claimed
 * the run is refused its first write and stops by itself ({@link StaleAttemptException}).
 *
 * <p>A database outage does not spend attempts: each store call of the attempt (the claim, the device, each
 * epoch's row, the checkpoint bookkeeping) waits for the database, heartbeating the last progress meanwhile, up to
 * {@link OutageWait}'s limit; training resumes where it stood.
 */
public final class TrainingActivitiesImpl implements TrainingActivities {
  private static final Logger log = LoggerFactory.getLogger(TrainingActivitiesImpl.class);
  private final MetricsStore store;
  private final ArtifactsLayout artifacts;
  private final String worker;
  private final SplitOpener datasets;
  private final OutageWait outageWait;

  public TrainingActivitiesImpl(MetricsStore store, Path artifacts, String worker) {
    this(store, artifacts, worker, SplitOpener.STANDARD, OutageWait.fromEnvironment(System.getenv()));
  }

  public TrainingActivitiesImpl(MetricsStore store, Path artifacts, String worker, SplitOpener datasets) {
    this(store, artifacts, worker, datasets, OutageWait.fromEnvironment(System.getenv()));
  }

  public TrainingActivitiesImpl(MetricsStore store, Path artifacts, String worker, SplitOpener datasets,
      OutageWait outageWait) {
    this.store = store;
    this.artifacts = new ArtifactsLayout(artifacts);
    this.worker = worker;
    this.datasets = datasets;
    this.outageWait = outageWait;
  }

  @Override
  public TrainingOutcome train(RunPlan plan) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ActivityInfo info = context.getInfo();
    AttemptClaim claim = new AttemptClaim(info.getWorkflowId() + "/" + info.getRunId() + "/" + info.getActivityId(),
        info.getAttempt());
    try {
      return Failures.classify(() -> {
        try {
          return train(plan, context, claim);
        } catch (StaleAttemptException e) {
          log.warn("{}", e.getMessage());
          throw e;
        }
      });
    } catch (RuntimeException | Error e) {
      recordFailure(plan.runId(), claim, e);
      throw e;
    }
  }

  /**
   * How this attempt ended, on its training_attempt row (the first reason stays: a stale attempt already marked lost
   * by its successor keeps that). Best effort: the store may be what failed.
   */
  private void recordFailure(String runId, AttemptClaim claim, Throwable e) {
    try {
      store.attempts().recordFailure(runId, claim, oneLine(e));
    } catch (RuntimeException unrecorded) {
      log.warn("run {}: {}: its failure not recorded: {}", runId, claim, unrecorded.toString());
    }
  }

  /** The failure's message as the run's error says it, one line (a classified failure's own message; else the exception). */
  static String oneLine(Throwable e) {
    String m = e instanceof ApplicationFailure a ? a.getOriginalMessage() : e.getMessage();
    if (m == null || m.isBlank()) {
      m = e.getClass().getName();
    } else if (!(e instanceof ApplicationFailure) && !(e instanceof OutOfMemoryError)) {
      m = e.getClass().getSimpleName() + ": " + m;
    }
    String line = m.strip().lines().filter(l -> !l.isBlank()).findFirst().orElse(m).strip();
    return line.length() <= 1000 ? line : line.substring(0, 999) + "…";
  }

  private TrainingOutcome train(RunPlan plan, ActivityExecutionContext context, AttemptClaim claim) {
    // the figures of the last step: repeated by the heartbeats while the epoch validates or the store is away
    AtomicReference<TrainingProgress> last = new AtomicReference<>();
    String what = "run " + plan.runId();
    Runnable beat = () -> context.heartbeat(last.get());
    outageWait.call(what, () -> store.runAttempts().claim(plan.runId(), worker, claim), beat);
    Device device = EngineSettings.device();
    String deviceName = CudaDevices.describe(device);
    outageWait.call(what,
        () -> store.runAttempts().recordDevice(plan.runId(), deviceName, CudaDevices.memoryInUse(device)), beat);
    outageWait.run(what, () -> store.attempts().begin(plan.runId(), plan.benchmarkId(), claim, worker, deviceName),
        beat);
    Cell cell = plan.cell();
    Path data = Path.of(plan.data().directory());
    // alive from the start: opening the data and building the model come before the first step
    context.heartbeat(null);
    RetrievalDataset train = datasets.open(cell.dataset(), data, DatasetSplit.TRAIN, cell.modelSpec());
    RetrievalDataset dev = datasets.open(cell.dataset(), data, DatasetSplit.DEV, cell.modelSpec());
    TrainingLoop loop = new TrainingLoop(train, dev, cell.modelSpec(), cell.lossSpec(), cell.trainingConfig(),
        cell.seed());
    if (cell.parent() != null) {
      // a fine-tuning stage: the parent cell's run, its best epoch
      Path parent = ArtifactsLayout.bestCheckpoint(artifacts.run(plan.parentRun()));
      loop = loop.startingFrom(parent, cell.freeze());
    } else if (cell.initCheckpoint() != null) {
      // hashed once, when the matrix was read: the worker trusts the recorded SHA-256 (part of the cell's id too)
      loop = loop.startingFrom(Path.of(cell.initCheckpoint()), cell.dataset().init().checkpointSha256(), cell.freeze());
    } else if (!cell.freeze().isEmpty()) {
      loop = loop.freezing(cell.freeze());
    }
    Path runDir = artifacts.run(plan.runId());
    int epochs = cell.trainingConfig().epochs();
    int until = plan.untilEpochs() != null ? plan.untilEpochs() : epochs;
    TrainingResult result = loop.run(runDir, new TrainingListener() {
      @Override
      public void onStep(int epoch, int step, int steps, double loss, double samplesPerSecond) {
        // throttled by the SDK; throws when the run is cancelled, which stops the training
        last.set(new TrainingProgress(epoch, epochs, step + 1, steps, loss, samplesPerSecond));
        beat.run();
      }

      @Override
      public void onValidation(int epoch, int done, int total) {
        // validating a large dev set takes minutes: beat after every batch (the SDK throttles)
        beat.run();
      }

      @Override
      public void onSaving() {
        // a large model's checkpoint and export take minutes: beat after every tensor or chunk (the SDK throttles)
        beat.run();
      }

      @Override
      public void onWarning(String message) {
        log.warn("run {}: {}", plan.runId(), message);
      }

      @Override
      public void onEpoch(EpochMetrics m) {
        outageWait.call(what, () -> store.epochMetrics().upsert(MetricRecords.epochMetric(plan.runId(), m), claim),
            beat);
        // after the fenced write: a stale attempt stops before it counts the epoch
        outageWait.run(what, () -> store.attempts().recordEpoch(plan.runId(), claim, m.seconds()), beat);
        outageWait.run(what, () -> recordDeviceMemory(plan.runId(), device), beat);
      }

      @Override
      public void beforeCheckpointReplace() {
        outageWait.run(what, () -> store.runAttempts().checkClaim(plan.runId(), claim), beat);
      }

      @Override
      public void onCheckpoint(int epoch, int stepInEpoch) {
        if (stepInEpoch == 0) {
          outageWait.call(what,
              () -> store.runAttempts().recordCheckpoint(plan.runId(), runDir.toString(), null, claim), beat);
        }
      }
    }, until);
    Path best = result.bestCheckpoint();
    outageWait.call(what,
        () -> store.runAttempts().recordCheckpoint(plan.runId(), best.toString(), result.bestEpoch(), claim),
        beat);
    outageWait.run(what, () -> recordDeviceMemory(plan.runId(), device), beat);
    return new TrainingOutcome(result.bestEpoch(), result.bestRsum(), best.toString(), result.history().size());
  }

  /** Raises the run's peak device memory to what is in use now: on a GPU only. */
  private void recordDeviceMemory(String runId, Device device) {
    Long inUse = CudaDevices.memoryInUse(device);
    if (inUse != null) {
      store.runAttempts().recordDeviceMemory(runId, inUse);
    }
  }
}
