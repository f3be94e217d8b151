package dev.lossbench.workers.perf;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.retrieval.loss.LossContext;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.loss.PairMask;
import dev.lossbench.retrieval.npy.NpyWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch side: {@code benchmarks/vse_step.py} run by Debian's {@code /usr/bin/python3} with
 * {@code OPENBLAS_NUM_THREADS=1} and PyTorch's thread count set to this machine's cores (DJL's
 * default); and, for {@code bench --torchscript}, {@code benchmarks/torchscript_step.py} with its BLAS allowed the
 * same threads as its intra-op pool ({@link TorchScriptBench}). Absent PyTorch, or the script, every figure here is
 * "not measured".
 */
public final class PyTorchReference {
  public static final String DEFAULT_PYTHON = "/usr/bin/python3";
  /** The interpreter: {@code --python} (system property {@value #PYTHON_PROPERTY}), else {@code LOSSBENCH_PYTHON}, else Debian's. */
  public static final String PYTHON_PROPERTY = "lossbench.python";

  static String python() {
    String p = System.getProperty(PYTHON_PROPERTY);
    if (p == null || p.isBlank()) {
      p = System.getenv("LOSSBENCH_PYTHON");
    }
    return p == null || p.isBlank() ? DEFAULT_PYTHON : p;
  }
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path script;

  private PyTorchReference(Path script) {
    this.script = script;
  }

  /** Present when the script is found (under {@code root}/benchmarks) and {@code import torch} works. */
  public static Optional<PyTorchReference> find(Path root) {
    Path script = root.resolve("benchmarks/vse_step.py");
    if (!Files.isRegularFile(script) || !Files.isExecutable(Path.of(python()).toAbsolutePath())) {
      return Optional.empty();
    }
    try {
      run(List.of(python(), "-c", "import torch, numpy"), 120);
      return Optional.of(new PyTorchReference(script));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The script of {@code bench --torchscript}'s PyTorch side, under the repository root. */
  static final String TORCHSCRIPT_SCRIPT = "benchmarks/torchscript_step.py";

  /** Present when {@value #TORCHSCRIPT_SCRIPT} is found under {@code root} and {@code import torch} works. */
  static Optional<PyTorchReference> findTorchScriptStep(Path root) {
    Path script = root.resolve(TORCHSCRIPT_SCRIPT);
    if (!Files.isRegularFile(script) || !Files.isExecutable(Path.of(python()).toAbsolutePath())) {
      return Optional.empty();
    }
    try {
      run(List.of(python(), "-c", "import torch"), 120);
      return Optional.of(new PyTorchReference(script));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Why the PyTorch side cannot run: which of the script, the interpreter and its torch is missing. */
  static String whyAbsent(Path root, String script) {
    if (!Files.isRegularFile(root.resolve(script))) {
      return "no " + script + " under " + root;
    }
    if (!Files.isExecutable(Path.of(python()).toAbsolutePath())) {
      return "no Python at " + python() + " (--python PATH or LOSSBENCH_PYTHON)";
    }
    return "no PyTorch: `" + python() + " -c \"import torch\"` fails (apt-get install python3-torch)";
  }

  /**
   * {@value #TORCHSCRIPT_SCRIPT} on {@code o}'s module and sizes, with its BLAS allowed {@code o.threads()} threads
   * (the intra-op pool's count, as lossbench's libtorch has), saving into {@code saveDir}: one JSON object.
   */
  JsonNode torchScriptStep(TorchScriptBench.Options o, Path saveDir) throws IOException {
    List<String> cmd = List.of(python(), script.toString(), o.module().toAbsolutePath().toString(),
        "--batch", "" + o.batch(), "--size", "" + o.size(), "--words", "" + o.words(),
        "--vocab", "" + TorchScriptStepChild.VOCAB, "--steps", "" + o.steps(), "--warmup", "" + o.warmup(),
        "--threads", "" + o.threads(), "--lr", "" + TorchScriptStepChild.LR,
        "--weight-decay", "" + TorchScriptStepChild.WEIGHT_DECAY, "--clip", "" + TorchScriptStepChild.GRAD_CLIP,
        "--save-dir", saveDir.resolve("pytorch").toAbsolutePath().toString());
    String[] lines = run(cmd, 3600, o.threads()).strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  /** The script's median step seconds (and its own matmul floor) for the same sizes. */
  public JsonNode step(BenchSizes s) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(python(), script.toString(), "step",
        "--batch", "" + s.stepBatch(), "--regions", "" + s.regions(), "--region-dim", "" + s.regionDim(),
        "--embed", "" + s.stepEmbed(), "--word-dim", "" + s.wordDim(), "--words", "" + s.words(), "--vocab",
        "" + s.vocab(),
        "--rounds", "" + s.stepRounds(), "--threads", "" + Runtime.getRuntime().availableProcessors(),
        "--floor-size", "" + s.floorSize(),
        "--device", EngineSettings.device().isGpu() ? "cuda" : "cpu"));
    return JSON.readTree(run(cmd, 900));
  }

  /** PyTorch eager's engine operations and host reads per step of the same step ({@code --count-ops}). */
  public JsonNode opCounts(BenchSizes s) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(python(), script.toString(), "step",
        "--batch", "" + s.stepBatch(), "--regions", "" + s.regions(), "--region-dim", "" + s.regionDim(),
        "--embed", "" + s.stepEmbed(), "--word-dim", "" + s.wordDim(), "--words", "" + s.words(), "--vocab",
        "" + s.vocab(),
        "--threads", "" + Runtime.getRuntime().availableProcessors(), "--count-ops", "2",
        "--device", EngineSettings.device().isGpu() ? "cuda" : "cpu"));
    return JSON.readTree(run(cmd, 900));
  }

  /**
   * The largest relative difference per loss between lossbench (float64 on the engine) and the
   * script (float64 PyTorch) on one random B × B similarity matrix, every loss at its defaults.
   */
  public Map<String, Double> lossAgreement(int b, Path workDir) throws IOException {
    SplittableRandom rnd = new SplittableRandom(17);
    double[] s = new double[b * b];
    for (int i = 0; i < s.length; i++) {
      s[i] = rnd.nextDouble() * 1.2 - 0.4;
    }
    for (int i = 0; i < b; i++) {
      s[i * b + i] += 0.3;
    }
    Path file = workDir.resolve("agreement-sims.npy");
    NpyWriter.writeDoubles(file, s, b, b);
    JsonNode theirs = JSON.readTree(run(List.of(python(), script.toString(), "losses", file.toString()), 300));
    Map<String, Double> diffs = new LinkedHashMap<>();
    try (NDManager m = EngineSettings.newBaseManager()) {
      var sims = m.create(s, new Shape(b, b));
      for (String name : LossBench.LOSSES) {
        double ours = LossSpec.parse(name).create().loss(sims, PairMask.distinct(b), LossContext.epoch(1))
            .toType(DataType.FLOAT64, false).getDouble();
        double ref = theirs.get(name).asDouble();
        diffs.put(name, Math.abs(ours - ref) / Math.max(Math.abs(ref), 1e-12));
      }
    }
    return diffs;
  }

  private static String run(List<String> cmd, int timeoutSeconds) throws IOException {
    return run(cmd, timeoutSeconds, 1);
  }

  private static String run(List<String> cmd, int timeoutSeconds, int blasThreads) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
    pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(blasThreads));
    Path err = Files.createTempFile("lossbench-pytorch", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + ": timed out");
      }
      if (p.exitValue() != 0) {
        String e = Files.readString(err);
        throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + e.strip());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
