package dev.lossbench.workers.cli;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.workers.perf.Bench;
import dev.lossbench.workers.perf.BenchSizes;
import dev.lossbench.workers.perf.PyTorchReference;
import dev.lossbench.workers.perf.TorchScriptBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lossbench bench [--quick]}: the performance figures of issue 8, as ratios measured side by side. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = {
    "Measures lossbench's cost against its floors, side by side in this process (warm-up, interleaved rounds, medians),"
        + " and ends with one row per measurement — loss, recall, train-step, data, orchestration — with the measured"
        + " ratio, its goal and ok or MISS as the last word.",
    "With PyTorch present (apt-get install python3-torch python3-numpy libopenblas0-pthread; run by /usr/bin/python3)"
        + " it also times the same training step in benchmarks/vse_step.py and checks the five losses against it.",
    "With --torchscript PATH it measures only fine-tuning that module (in a child JVM) against PyTorch eager on the same"
        + " module (benchmarks/torchscript_step.py), same batch, image size, caption length and threads (PyTorch's BLAS"
        + " too): rows ts-step, ts-memory (peak resident memory of each process), ts-export (the .pt against"
        + " torch.jit.save), ts-checkpoint (bytes written per checkpoint + .pt).",
    "Exit codes: 0 measured (MISS rows included), 1 a loss differs from PyTorch by more than 1e-4 relative.",
    ""})
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--quick", description = "smaller sizes: finishes in under 3 minutes on 2 cores")
  boolean quick;

  @Option(names = "--no-orchestration", description = "skip the orchestration section (it starts the embedded stack)")
  boolean noOrchestration;

  @Mixin
  EngineOptions engine;

  @Option(names = "--python", paramLabel = "PATH", description = "the Python with torch for the PyTorch rows (default: LOSSBENCH_PYTHON, else /usr/bin/python3)")
  String python;

  @Option(names = "--torchscript", paramLabel = "PATH", description = "measure fine-tuning this TorchScript module (calling contract of docs/torchscript.md, with a"
      + " logit_scale) against PyTorch eager instead of the other sections")
  Path torchscript;

  @Option(names = "--batch", paramLabel = "N", description = "with --torchscript: images per step (default: "
      + TorchScriptBench.Options.BATCH + ")")
  Integer batch;

  @Option(names = "--size", paramLabel = "PX", description = "with --torchscript: image side in pixels (default: "
      + TorchScriptBench.Options.SIZE + ", CLIP ViT-B/32's)")
  Integer size;

  @Option(names = "--words", paramLabel = "N", description = "with --torchscript: tokens per caption (default: "
      + TorchScriptBench.Options.WORDS + ", CLIP's context)")
  Integer words;

  @Option(names = "--steps", paramLabel = "N", description = "with --torchscript: timed steps per side (default: "
      + TorchScriptBench.Options.STEPS + "), after --warmup steps (default: " + TorchScriptBench.Options.WARMUP + ")")
  Integer steps;

  @Option(names = "--warmup", paramLabel = "N", hidden = true)
  Integer warmup;

  @Override
  public Integer call() throws Exception {
    engine.apply();
    int threads = EngineSettings.applyThreads(engine.threads);
    if (python != null) {
      System.setProperty(PyTorchReference.PYTHON_PROPERTY, python);
    }
    if (torchscript == null && (batch != null || size != null || words != null || steps != null || warmup != null)) {
      throw new InvalidInputException(
          "--batch, --size, --words, --steps and --warmup apply only with --torchscript PATH");
    }
    Path work = Files.createTempDirectory("lossbench-bench");
    try {
      if (torchscript != null) {
        TorchScriptBench.Options opts = new TorchScriptBench.Options(torchscript,
            batch != null ? batch : TorchScriptBench.Options.BATCH, size != null ? size : TorchScriptBench.Options.SIZE,
            words != null ? words : TorchScriptBench.Options.WORDS,
            steps != null ? steps : TorchScriptBench.Options.STEPS,
            warmup != null ? warmup : TorchScriptBench.Options.WARMUP, threads);
        new TorchScriptBench(opts, Path.of("").toAbsolutePath(), work).run(spec.commandLine().getOut());
        return LossbenchCommand.EXIT_OK;
      }
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
