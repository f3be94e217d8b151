package dev.lossbench.workers.cli;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.schema.record.BenchmarkStatus;
import dev.lossbench.workers.compare.StoredComparisons;
import dev.lossbench.workers.console.LineProgress;
import dev.lossbench.workers.console.ResumeHint;
import dev.lossbench.workers.format.ComputeText;
import dev.lossbench.workers.output.LeaderboardFormat;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.EmbeddedStack;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workers.stack.TemporalConnection;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.TaskQueues;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.benchmark.RunCounts;
import dev.lossbench.workflows.benchmark.RunState;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.run.RunPhase;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code run} and {@code resume} share: bring up the stack (embedded, or a cluster with
 * {@code --temporal}), submit the benchmark idempotently, follow it, print the leaderboard.
 */
final class BenchmarkSession {
  private BenchmarkSession() {}

  static int runOrResume(BenchmarkSpec spec, StackOptions options, FollowOptions following, boolean rerunFinished,
      PrintWriter out, PrintWriter err, ProgressListener progress) {
    return runOrResume(spec, List.of(), options, following, rerunFinished, out, err, progress);
  }

  /** @param promote loss variants of an adaptive benchmark whose stopped runs continue ({@code resume --promote}) */
  static int runOrResume(BenchmarkSpec spec, List<String> promote, StackOptions options, FollowOptions following,
      boolean rerunFinished, PrintWriter out, PrintWriter err, ProgressListener progress) {
    try (ResumeHint hint = ResumeHint.install(err, spec.name())) {
      return runOrResumeFollowing(spec, promote, options, following, rerunFinished, out, err, progress);
    }
  }

  private static int runOrResumeFollowing(BenchmarkSpec spec, List<String> promote, StackOptions options,
      FollowOptions following, boolean rerunFinished, PrintWriter out,
      PrintWriter err, ProgressListener progress) {
    String id = RunIds.benchmarkId(spec);
    OrchestrationSettings settings = following.settings();
    if (options.temporal == null) {
      out.println("lossbench: starting the embedded stack (" + options.lossbenchHome().storeLabel()
          + ", in-process Temporal on 127.0.0.1, workers for every queue)");
      out.flush();
      try (EmbeddedStack stack = EmbeddedStack.start(options.lossbenchHome(), options.artifactsDir())) {
        // the workflow worker lives in this process: no deadline on its answers
        return follow(spec, promote, id, stack.store(), stack.connection(), settings, Duration.ZERO, rerunFinished, out,
            err, progress);
      }
    }
    options.requireClusterStore();
    try (MetricsStore store = MetricsStore.open(options.lossbenchHome().database());
        TemporalConnection connection = TemporalConnection.connect(options.temporal, options.namespace,
            "lossbench-cli")) {
      return follow(spec, promote, id, store, connection, settings, following.workerWait(), rerunFinished, out, err,
          progress);
    } catch (BenchmarkClient.NoWorkflowWorker e) {
      throw new InvalidInputException(
          e.getMessage() + " — start one with: lossbench server (it serves workflow tasks), or"
              + " lossbench worker --temporal " + options.temporal + " --queues " + TaskQueues.WORKFLOWS + ","
              + TaskQueues.CPU
              + "; the benchmark waits in Temporal: follow it again with: lossbench resume " + spec.name());
    }
  }

  private static int follow(BenchmarkSpec spec, List<String> promote, String id, MetricsStore store,
      TemporalConnection connection,
      OrchestrationSettings settings, Duration workerWait, boolean rerunFinished, PrintWriter out, PrintWriter err,
      ProgressListener progress) {
    Optional<Benchmark> existing = store.benchmarks().find(id);
    if (!rerunFinished && promote.isEmpty() && existing.isPresent()
        && existing.get().status() == BenchmarkStatus.SUCCEEDED) {
      out.println("benchmark " + spec.name() + " (" + id + ") already finished: every run succeeded; nothing to train."
          + " Its leaderboard:");
      Benchmark finished = store.benchmarks().find(id).orElseThrow();
      LeaderboardFormat.TABLE.print(out, store.reports().leaderboard(id), StoredComparisons.primary(store, finished),
          StoredComparisons.best(store, finished), store.reports().stoppedVariants(id),
          store.benchmarks().datasetNames(id));
      return LossbenchCommand.EXIT_OK;
    }
    BenchmarkClient client = new BenchmarkClient(connection.client());
    BenchmarkClient.Submission s = client.submit(spec, settings, promote);
    out.println((s.started() ? "started " : "already running, following ") + id + ": " + (spec.trainsAdaptively()
        ? "adaptive, a full grid of " + spec.cells().size() + " runs"
        : spec.cells().size() + " runs")
        + (existing.isPresent() ? " (runs that already succeeded are skipped)" : ""));
    out.flush();
    BenchmarkSummary summary = client.await(id, Duration.ofSeconds(2), progress, workerWait);
    out.println();
    RunCounts counts = summary.counts();
    out.println("benchmark " + spec.name() + " " + summary.status() + ": " + counts.succeeded() + " succeeded ("
        + counts.skipped() + " from before), " + counts.failed() + " failed, " + counts.diverged() + " diverged, "
        + counts.cancelled() + " cancelled" + (counts.stopped() > 0 ? ", " + counts.stopped() + " stopped early" : ""));
    store.reports().compute(id).ifPresent(c -> out.println("compute: " + ComputeText.line(c)));
    for (RunState r : summary.problems()) {
      out.println("  " + r.status() + ": " + LineProgress.describe(r) + " (" + r.runId() + "): " + r.error());
    }
    if (summary.problemsLeftOut() > 0) {
      out.println("  … and " + summary.problemsLeftOut() + " more: lossbench status " + spec.name());
    }
    out.println();
    out.println("Leaderboard (mean ± sample std over seeds; rSum = R@1+R@5+R@10 in both directions):");
    Benchmark finished = store.benchmarks().find(id).orElseThrow();
    LeaderboardFormat.TABLE.print(out, store.reports().leaderboard(id), StoredComparisons.primary(store, finished),
        StoredComparisons.best(store, finished), store.reports().stoppedVariants(id),
        store.benchmarks().datasetNames(id));
    out.flush();
    if (summary.status() == RunPhase.SUCCEEDED) {
      return LossbenchCommand.EXIT_OK;
    }
    if (counts.onlyInvalidInput()) {
      // every run that failed, failed on the user's data or configuration: a mistake to fix, not a failed experiment
      err.println("lossbench " + (rerunFinished ? "resume" : "run") + ": " + inputErrorLine(spec, summary));
      err.flush();
      return LossbenchCommand.EXIT_BAD_INPUT;
    }
    return LossbenchCommand.EXIT_FAILED;
  }

  /** One line for a benchmark whose every failure was bad input: the first error, and how many more there are. */
  static String inputErrorLine(BenchmarkSpec spec, BenchmarkSummary summary) {
    List<String> distinct = summary.problems().stream().map(RunState::error).filter(Objects::nonNull)
        .map(e -> e.replace('\n', ' ')).distinct().toList();
    int failed = summary.counts().failed();
    String first = distinct.isEmpty() ? "runs failed on bad input" : distinct.get(0);
    String more = distinct.size() > 1 || summary.problemsLeftOut() > 0
        ? "; other input errors: lossbench status " + spec.name()
        : "";
    return first + " (" + failed + (failed == 1 ? " run" : " runs") + " failed; fix it and run: lossbench resume "
        + spec.name() + more + ")";
  }
}
