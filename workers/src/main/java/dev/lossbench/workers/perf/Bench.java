package dev.lossbench.workers.perf;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.engine.EngineSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lossbench bench}: each figure a ratio of two things measured side by side in this process
 * ({@link Repetitions}), printed as detail lines per section and, last, one {@link BenchRow} per
 * measurement: {@code loss}, {@code recall}, {@code train-step}, {@code data}, {@code orchestration}.
 * A section that fails prints its error and a {@code MISS} row saying so, and the others still run.
 */
public final class Bench {
  public static final List<String> ROWS = List.of("loss", "recall", "train-step", "step-ops", "data", "orchestration");
  /** Goals of the step-ops row: host reads per training step, and engine operations per step against PyTorch eager's. */
  public static final double HOST_READS_GOAL = 1;
  public static final double OPS_RATIO_GOAL = 1.5;
  public static final double AGREEMENT_TOLERANCE = 1e-4;

  /** The summary rows and whether the PyTorch loss-agreement check failed. */
  public record Outcome(List<BenchRow> rows, boolean agreementFailed) {}

  private final BenchSizes sizes;
  private final Path root;
  private final Path workDir;
  private final boolean orchestration;

  /**
   * @param root the repository root (where {@code benchmarks/vse_step.py} lives)
   * @param orchestration whether to run the orchestration section (it starts the embedded stack)
   */
  public Bench(BenchSizes sizes, Path root, Path workDir, boolean orchestration) {
    this.sizes = sizes;
    this.root = root;
    this.workDir = workDir;
    this.orchestration = orchestration;
  }

  public Outcome run(PrintWriter out) {
    Autograd.offOnThisThread();
    Device device = EngineSettings.device();
    out.printf(Locale.ROOT,
        "lossbench bench (%s sizes): device %s, %d cores, %s intra-op threads, %s %s, DJL PyTorch engine %s;"
            + " medians of interleaved rounds (each timed region ends with the device synchronised)%n",
        sizes.label(), EngineSettings.name(device), Runtime.getRuntime().availableProcessors(),
        System.getProperty(EngineSettings.THREADS_PROPERTY, "default"),
        System.getProperty("os.name"), System.getProperty("os.arch"), Engine.getInstance().getVersion());
    out.flush();
    List<BenchRow> rows = new ArrayList<>();
    boolean agreementFailed = false;

    rows.add(section("loss", out, () -> {
      LossBench.Result r = LossBench.run(sizes, out);
      double worst = Math.max(r.worst("unified"), r.worst("triplet-hn"));
      return BenchRow.atMost("loss", worst, 1.2)
          .withNote(String.format(Locale.ROOT, "(unified %s, tri-hn %s)", BenchRow.times(r.worst("unified")),
              BenchRow.times(r.worst("triplet-hn"))), true);
    }));

    rows.add(section("recall", out, () -> {
      RecallBench.Result r = RecallBench.run(sizes, out);
      boolean memOk = !Double.isNaN(r.peakExtraMiB()) && r.peakExtraMiB() <= 512;
      String mem = Double.isNaN(r.peakExtraMiB())
          ? "(peak not measured)"
          : String.format(Locale.ROOT, "(peak +%.0f MiB)", r.peakExtraMiB());
      BenchRow row = BenchRow.atMost("recall", r.ratio(), 1.5).withNote(mem, memOk);
      return new BenchRow(row.name(), row.value(), row.shown(), row.goal() + ", <= 512 MiB", row.ok());
    }));

    TrainStepBench.Result[] step = new TrainStepBench.Result[1];
    rows.add(section("train-step", out, () -> {
      step[0] = TrainStepBench.run(sizes, out);
      return BenchRow.shareAtLeast("train-step", step[0].share(), 0.5);
    }));
    Optional<PyTorchReference> torch = PyTorchReference.find(root);
    if (torch.isEmpty()) {
      out.println("train-step vs PyTorch: not measured (no PyTorch: `/usr/bin/python3 -c \"import torch\"` fails,"
          + " or benchmarks/vse_step.py is missing); loss agreement: not measured");
    } else {
      try {
        JsonNode t = torch.get().step(sizes);
        double theirs = t.get("step_seconds").asDouble();
        double theirFloor = 2.0 * Math.pow(t.get("matmul_size").asDouble(), 3) / t.get("matmul_seconds").asDouble();
        if (step[0] != null) {
          out.printf(Locale.ROOT,
              "train-step vs PyTorch %s (%d threads, OpenBLAS; paired runs, a different libtorch: this"
                  + " compares stacks, not only code): lossbench %.3f s, PyTorch %.3f s -> lossbench at %s of PyTorch's time"
                  + " (goal <= 1.00x: %s); PyTorch's own matmul floor %.1f GFLOP/s%n",
              t.get("torch").asText(), t.get("threads").asInt(),
              step[0].stepSeconds(), theirs, BenchRow.times(step[0].stepSeconds() / theirs),
              step[0].stepSeconds() <= theirs ? "ok" : "MISS", theirFloor / 1e9);
        }
      } catch (Exception e) {
        out.println("train-step vs PyTorch: failed: " + e.getMessage());
      }
      try {
        Map<String, Double> diffs = torch.get().lossAgreement(sizes.agreementBatch(), workDir);
        StringBuilder sb = new StringBuilder("loss agreement with PyTorch (float64, B = " + sizes.agreementBatch()
            + ", largest relative difference, tolerance 1e-4):");
        for (Map.Entry<String, Double> e : diffs.entrySet()) {
          boolean ok = e.getValue() <= AGREEMENT_TOLERANCE;
          agreementFailed |= !ok;
          sb.append(String.format(Locale.ROOT, " %s %.1e %s;", e.getKey(), e.getValue(), ok ? "ok" : "MISS"));
        }
        out.println(sb);
      } catch (Exception e) {
        agreementFailed = true;
        out.println("loss agreement with PyTorch: failed: " + e.getMessage());
      }
    }
    out.flush();

    rows.add(section("step-ops", out, () -> stepOps(out, torch)));

    rows.add(section("data", out, () -> {
      DataBench.Result d = DataBench.run(sizes, workDir, out);
      if (step[0] == null) {
        return new BenchRow("data", Double.NaN, "not measured (no step rate)", ">= 10.00x step rate", false);
      }
      double ratio = d.loaderBatchesPerSecond() / step[0].stepsPerSecond();
      return BenchRow.atLeast("data", ratio, 10).withNote("of the step rate", true);
    }));

    rows.add(section("orchestration", out, () -> {
      if (!orchestration) {
        return new BenchRow("orchestration", Double.NaN, "not measured (skipped)", "<= 5.0%", false);
      }
      return OrchestrationBench.run(sizes, workDir, out);
    }));

    out.println();
    out.printf(Locale.ROOT, "%-14s %-34s %-27s %s%n", "measurement", "measured", "goal", "verdict");
    for (BenchRow r : rows) {
      out.println(r.format());
    }
    out.flush();
    return new Outcome(rows, agreementFailed);
  }

  /** Engine operations and host reads per training step, counted by libtorch's profiler (and PyTorch eager's, when present). */
  private BenchRow stepOps(PrintWriter out, Optional<PyTorchReference> torch) {
    TrainStepBench.OpCounts ours = TrainStepBench.countOps(sizes, workDir);
    String theirs = "PyTorch: not measured";
    double ratio = Double.NaN;
    if (torch.isPresent()) {
      try {
        JsonNode t = torch.get().opCounts(sizes);
        ratio = ours.opsPerStep() / t.get("ops_per_step").asDouble();
        theirs = String.format(Locale.ROOT, "PyTorch %s eager (%s): %.0f ops, %.1f host reads per step",
            t.get("torch").asText(),
            t.get("device").asText(), t.get("ops_per_step").asDouble(), t.get("host_reads_per_step").asDouble());
      } catch (Exception e) {
        theirs = "PyTorch: failed: " + e.getMessage();
      }
    }
    out.printf(Locale.ROOT,
        "step-ops: the training step (%s, batch %d), counted by libtorch's profiler: lossbench %.0f engine ops,"
            + " %.1f host reads per step; %s%n",
        TrainStepBench.modelSpec(sizes), sizes.stepBatch(), ours.opsPerStep(),
        ours.hostReadsPerStep(), theirs);
    out.flush();
    boolean readsOk = ours.hostReadsPerStep() <= HOST_READS_GOAL;
    String shown = String.format(Locale.ROOT, "%.1f reads, %.0f ops/step", ours.hostReadsPerStep(), ours.opsPerStep())
        + (Double.isNaN(ratio) ? " (PyTorch not measured)" : " = " + BenchRow.times(ratio) + " PyTorch's");
    boolean ok = readsOk && (Double.isNaN(ratio) || ratio <= OPS_RATIO_GOAL);
    return new BenchRow("step-ops", ours.hostReadsPerStep(), shown,
        "<= 1 read, <= " + BenchRow.times(OPS_RATIO_GOAL) + " ops", ok);
  }

  private interface Section {
    BenchRow measure() throws Exception;
  }

  private static BenchRow section(String name, PrintWriter out, Section s) {
    try {
      return s.measure();
    } catch (Exception | Error e) {
      out.println(name + ": failed: " + e);
      out.flush();
      return new BenchRow(name, Double.NaN, "not measured (failed)", "-", false);
    }
  }
}
