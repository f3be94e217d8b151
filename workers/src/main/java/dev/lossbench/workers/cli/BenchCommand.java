package dev.lossbench.workers.cli;

import dev.lossbench.workers.perf.Bench;
import dev.lossbench.workers.perf.BenchSizes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import dev.lossbench.workers.perf.PyTorchReference;
import java.util.Comparator;

/** {@code lossbench bench [--quick]}: the performance figures of issue 8, as ratios measured side by side. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures lossbench's cost against its floors, side by side in this process (warm-up, interleaved rounds, medians),"
          + " and ends with one row per measurement — loss, recall, train-step, data, orchestration — with the measured"
          + " ratio, its goal and ok or MISS as the last word.",
      "With PyTorch present (apt-get install python3-torch python3-numpy libopenblas0-pthread; run by /usr/bin/python3)"
          + " it also times the same training step in benchmarks/vse_step.py and checks the five losses against it.",
      "Exit codes: 0 measured (MISS rows included), 1 a loss differs from PyTorch by more than 1e-4 relative.",
      ""})
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--quick", description = "smaller sizes: finishes in under 3 minutes on 2 cores")
  boolean quick;

  @Option(names = "--no-orchestration", description = "skip the orchestration section (it starts the embedded stack)")
  boolean noOrchestration;

  @Mixin EngineOptions engine;

  @Option(names = "--python", paramLabel = "PATH",
      description = "the Python with torch for the PyTorch rows (default: LOSSBENCH_PYTHON, else /usr/bin/python3)")
  String python;

  @Override
  public Integer call() throws Exception {
    engine.apply();
    if (python != null) {
      System.setProperty(PyTorchReference.PYTHON_PROPERTY, python);
    }
    Path work = Files.createTempDirectory("lossbench-bench");
    try {
      Bench.Outcome o = new Bench(quick ? BenchSizes.quick() : BenchSizes.full(), Path.of("").toAbsolutePath(), work,
          !noOrchestration).run(spec.commandLine().getOut());
      return o.agreementFailed() ? LossbenchCommand.EXIT_FAILED : LossbenchCommand.EXIT_OK;
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
