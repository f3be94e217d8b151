package dev.lossbench.workers.perf;

import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Run;
import dev.lossbench.workers.stack.BenchmarkClient;
import dev.lossbench.workers.stack.EmbeddedStack;
import dev.lossbench.workers.stack.LossbenchHome;
import dev.lossbench.workers.stack.ProgressListener;
import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.RunIds;
import dev.lossbench.workflows.benchmark.BenchmarkSummary;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.MatrixParser;
import dev.lossbench.workflows.run.RunPhase;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Orchestration overhead: a matrix of many tiny runs (one epoch of a 16-d model on a small
 * synthetic dataset, one run at a time) on the embedded stack — PostgreSQL, in-process Temporal,
 * workers — started under a fresh home in the work directory.
 *
 * <p>Measured: the span from the first run's start to the last run's finish (the store's
 * {@code run.started_at}/{@code finished_at}), minus the training time the store records
 * ({@code epoch_metric.seconds}, summed over every run), divided by the number of runs: the
 * <em>fixed</em> cost per run of workflows, activities, heartbeats, checkpoints, store writes,
 * gaps between runs — and also the test evaluation, which the store does not time separately, so
 * the figure is an upper bound on orchestration proper. Dataset preparation and the stack's
 * start-up happen once per benchmark, before the first run, and are not counted.
 *
 * <p>Extrapolation: this overhead does not grow with the run's length (it is per run and per
 * epoch, and a one-minute run has one or a few epochs), so the share for a run of one minute is
 * {@code overhead / 60 s}. The tiny runs' own share (overhead / their wall time) is printed too.
 */
final class OrchestrationBench {
  static final double RUN_SECONDS = 60;

  private OrchestrationBench() {}

  static BenchRow run(BenchSizes s, Path workDir, PrintWriter out) throws Exception {
    int runs = s.orchestrationRuns();
    String yaml = String.join("\n",
        "name: bench-orchestration-" + runs,
        "description: tiny runs for lossbench bench's orchestration overhead",
        "baseline: triplet-hn",
        "max_parallel_runs: 1",
        "datasets:",
        "  - name: tiny",
        "    kind: synthetic",
        "    params: {train_images: 64, dev_images: 16, test_images: 16, seed: 1}",
        "    protocols: [test]",
        "models:",
        "  - vse-mean:embed_dim=16,word_dim=8",
        "losses:",
        "  - triplet-hn",
        "seeds: " + runs,
        "training:",
        "  epochs: 1",
        "  batch_size: 32",
        "");
    BenchmarkSpec spec = MatrixParser.parse(yaml);
    Path home = Files.createDirectories(workDir.resolve("home"));
    long t0 = System.nanoTime();
    try (EmbeddedStack stack = EmbeddedStack.start(new LossbenchHome(home), home.resolve("artifacts"))) {
      double startup = (System.nanoTime() - t0) / 1e9;
      BenchmarkClient client = new BenchmarkClient(stack.connection().client());
      String id = RunIds.benchmarkId(spec);
      long t1 = System.nanoTime();
      client.submit(spec, OrchestrationSettings.defaults());
      BenchmarkSummary summary = client.await(id, Duration.ofMillis(200), ProgressListener.NONE);
      double total = (System.nanoTime() - t1) / 1e9;
      if (summary.status() != RunPhase.SUCCEEDED) {
        throw new IllegalStateException("the tiny benchmark " + summary.status());
      }
      List<Run> rows = stack.store().runs().byBenchmark(id);
      Instant first = null;
      Instant last = null;
      double training = 0;
      for (Run r : rows) {
        first = first == null || r.startedAt().isBefore(first) ? r.startedAt() : first;
        last = last == null || r.finishedAt().isAfter(last) ? r.finishedAt() : last;
        for (EpochMetric m : stack.store().epochMetrics().forRun(r.id())) {
          training += m.seconds();
        }
      }
      double span = Duration.between(first, last).toNanos() / 1e9;
      double perRun = (span - training) / rows.size();
      double share = perRun / RUN_SECONDS;
      out.printf(Locale.ROOT,
          "orchestration: %d tiny runs on the embedded stack (start-up %.1f s, benchmark %.1f s incl. dataset):"
              + " runs span %.2f s, training %.2f s -> %.3f s fixed per run (evaluation included), %s of a tiny run's"
              + " %.2f s; for a run of %.0f s: %s%n",
          rows.size(), startup, total, span, training, perRun,
          BenchRow.percent(perRun / (span / rows.size())), span / rows.size(), RUN_SECONDS, BenchRow.percent(share));
      out.flush();
      return BenchRow.shareAtMost("orchestration", share, 0.05)
          .withNote(String.format(Locale.ROOT, "(%.2f s/run over %.0f s)", perRun, RUN_SECONDS), true);
    }
  }
}
