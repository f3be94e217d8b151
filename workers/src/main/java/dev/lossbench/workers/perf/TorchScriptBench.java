package dev.lossbench.workers.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.engine.EngineSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code lossbench bench --torchscript PATH} (issue 25): fine-tuning a TorchScript module in lossbench against PyTorch
 * eager on the same module — same batch, image size, caption length and thread count (PyTorch's BLAS included) —
 * each side in a process of its own, run one after the other: lossbench's in a child JVM ({@link
 * TorchScriptStepChild}, this JVM's heap limit), PyTorch's in {@code benchmarks/torchscript_step.py}. Each side
 * takes warm-up steps, then the timed steps (median), then writes one resumable checkpoint (weights and AdamW's
 * moments) and one TorchScript module. Rows:
 * <ul>
 *   <li>{@code ts-step}: lossbench's median step time as a multiple of PyTorch's (goal ≤ 1.30×);
 *   <li>{@code ts-memory}: peak resident memory (VmHWM of each process, saves included) as a multiple of
 *       PyTorch's (goal ≤ 2.00×);
 *   <li>{@code ts-export}: writing the module ({@code last.pt}) against PyTorch's own {@code torch.jit.save} of the
 *       same module (goal ≤ 2.00×);
 *   <li>{@code ts-checkpoint}: bytes written per checkpoint ({@code last.ckpt} + {@code last.pt}) against PyTorch's
 *       ({@code torch.save} of the state_dict and AdamW's state, + {@code torch.jit.save}) (goal ≤ 1.10×).
 * </ul>
 * Without PyTorch each row shows lossbench's own figure and says why PyTorch's is not measured.
 */
public final class TorchScriptBench {
  public static final List<String> ROWS = List.of("ts-step", "ts-memory", "ts-export", "ts-checkpoint");
  public static final double STEP_GOAL = 1.3;
  public static final double MEMORY_GOAL = 2.0;
  public static final double EXPORT_GOAL = 2.0;
  public static final double BYTES_GOAL = 1.1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What to measure.
   *
   * @param size image side in pixels (the module's: 224 for CLIP ViT-B/32)
   * @param words caption length in tokens (CLIP's context: 77)
   * @param threads intra-op threads of both sides, and PyTorch's BLAS threads
   */
  public record Options(Path module, int batch, int size, int words, int steps, int warmup, int threads) {
    public static final int BATCH = 16;
    public static final int SIZE = 224;
    public static final int WORDS = 77;
    public static final int STEPS = 10;
    public static final int WARMUP = 2;

    public Options {
      check("--batch", batch, 2);
      check("--size", size, 8);
      check("--words", words, 2);
      check("--steps", steps, 1);
      check("--warmup", warmup, 0);
      check("--threads", threads, 1);
      if (!Files.isRegularFile(module)) {
        throw new InvalidInputException("--torchscript: " + module + ": no such file (expected a module exported with"
            + " torch.jit.script, e.g. by fixtures/torchscript/make_clip_vit_b32.py)");
      }
    }

    private static void check(String option, int value, int min) {
      if (value < min) {
        throw new InvalidInputException(option + ": " + value + " is too small (expected " + min + " or more)");
      }
    }
  }

  private final Options options;
  private final Path root;
  private final Path workDir;

  /**
   * @param root the repository root (where {@code benchmarks/torchscript_step.py} lives)
   * @param workDir scratch space for the checkpoints both sides write (about 5 × the module's size at once)
   */
  public TorchScriptBench(Options options, Path root, Path workDir) {
    this.options = options;
    this.root = root;
    this.workDir = workDir;
  }

  /** Prints a detail line per side, then the summary: one {@link BenchRow} per {@link #ROWS} entry. */
  public List<BenchRow> run(PrintWriter out) {
    Options o = options;
    out.printf(Locale.ROOT, "lossbench bench --torchscript %s: batch %d, %d px, %d tokens, %d threads on both sides"
        + " (PyTorch's BLAS too), %d warm-up + %d timed steps each (median), device %s, %d cores;"
        + " each side in its own process, one after the other%n", o.module(), o.batch(), o.size(), o.words(),
        o.threads(), o.warmup(), o.steps(), EngineSettings.name(EngineSettings.device()),
        Runtime.getRuntime().availableProcessors());
    out.flush();
    JsonNode ours = null;
    try {
      ours = lossbenchSide();
      out.printf(Locale.ROOT, "ts lossbench: %d parameters; step %.3f s; peak resident %s (training %s, heap limit %s);"
          + " checkpoint %s in %.2f s, export %s in %.2f s%n", ours.get("parameters").asLong(),
          ours.get("step_seconds").asDouble(), bytes(ours.get("peak_rss_bytes").asLong()),
          bytes(ours.get("peak_rss_training_bytes").asLong()), bytes(ours.get("max_heap_bytes").asLong()),
          bytes(ours.get("checkpoint_bytes").asLong()), ours.get("checkpoint_seconds").asDouble(),
          bytes(ours.get("module_bytes").asLong()), ours.get("export_seconds").asDouble());
    } catch (IOException | RuntimeException e) {
      out.println("ts lossbench: failed: " + e.getMessage());
    }
    out.flush();
    JsonNode theirs = null;
    String why;
    Optional<PyTorchReference> torch = PyTorchReference.findTorchScriptStep(root);
    if (torch.isEmpty()) {
      why = "not measured (" + PyTorchReference.whyAbsent(root, PyTorchReference.TORCHSCRIPT_SCRIPT) + ")";
      out.println("ts PyTorch: " + why);
    } else {
      try {
        theirs = torch.get().torchScriptStep(o, workDir);
        why = null;
        out.printf(Locale.ROOT, "ts PyTorch %s eager: %d parameters; step %.3f s; peak resident %s (training %s);"
            + " torch.save of state_dict + AdamW %s in %.2f s, torch.jit.save %s in %.2f s%n",
            theirs.get("torch").asText(),
            theirs.get("parameters").asLong(), theirs.get("step_seconds").asDouble(),
            bytes(theirs.get("peak_rss_bytes").asLong()),
            bytes(theirs.get("peak_rss_training_bytes").asLong()), bytes(theirs.get("checkpoint_bytes").asLong()),
            theirs.get("checkpoint_seconds").asDouble(), bytes(theirs.get("module_bytes").asLong()),
            theirs.get("export_seconds").asDouble());
        String blas = theirs.path("blas").asText("unknown");
        out.println("ts PyTorch BLAS: " + blas + (isReferenceBlas(blas)
            ? " -- the netlib reference BLAS, many times"
                + " slower than OpenBLAS: PyTorch's step time says little here (apt-get install libopenblas0-pthread)"
            : ""));
      } catch (IOException | RuntimeException e) {
        why = "failed: " + lastLines(String.valueOf(e.getMessage()), 1);
        out.println("ts PyTorch: " + why);
      }
    }
    out.flush();
    List<BenchRow> rows = new ArrayList<>();
    rows.add(ratio("ts-step", ours, theirs, why, "step_seconds", STEP_GOAL, "step time", false));
    rows.add(ratio("ts-memory", ours, theirs, why, "peak_rss_bytes", MEMORY_GOAL, "peak RSS", true));
    rows.add(ratio("ts-export", ours, theirs, why, "export_seconds", EXPORT_GOAL, "torch.jit.save", false));
    rows.add(checkpointRow(ours, theirs, why));
    out.println();
    out.printf(Locale.ROOT, "%-14s %-34s %-27s %s%n", "measurement", "measured", "goal", "verdict");
    rows.forEach(r -> out.println(r.format()));
    out.flush();
    return rows;
  }

  private static BenchRow ratio(String name, JsonNode ours, JsonNode theirs, String why, String field, double goal,
      String what, boolean inBytes) {
    if (ours == null) {
      return new BenchRow(name, Double.NaN, "not measured (failed)", "<= " + BenchRow.times(goal), false);
    }
    double mine = ours.get(field).asDouble();
    String own = inBytes ? bytes((long) mine) : String.format(Locale.ROOT, "%.3f s", mine);
    if (theirs == null) {
      return new BenchRow(name, Double.NaN, own + ", PyTorch " + why, "<= " + BenchRow.times(goal), false);
    }
    double r = mine / theirs.get(field).asDouble();
    return BenchRow.atMost(name, r, goal).withNote("PyTorch's " + what + " (" + own + ")", true);
  }

  private static BenchRow checkpointRow(JsonNode ours, JsonNode theirs, String why) {
    String goal = "<= " + BenchRow.times(BYTES_GOAL);
    if (ours == null) {
      return new BenchRow("ts-checkpoint", Double.NaN, "not measured (failed)", goal, false);
    }
    long mine = ours.get("checkpoint_bytes").asLong() + ours.get("module_bytes").asLong();
    String own = bytes(ours.get("checkpoint_bytes").asLong()) + " ckpt + " + bytes(ours.get("module_bytes").asLong())
        + " .pt";
    if (theirs == null) {
      return new BenchRow("ts-checkpoint", Double.NaN, own + ", PyTorch " + why, goal, false);
    }
    double r = mine / (double) (theirs.get("checkpoint_bytes").asLong() + theirs.get("module_bytes").asLong());
    return BenchRow.atMost("ts-checkpoint", r, BYTES_GOAL).withNote("PyTorch's bytes (" + own + ")", true);
  }

  /** Runs {@link TorchScriptStepChild} in a JVM with this one's class path, heap limit, device, threads and offline setting. */
  private JsonNode lossbenchSide() throws IOException {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx" + (Runtime.getRuntime().maxMemory() >> 20) + "m",
        "-D" + EngineSettings.THREADS_PROPERTY + "=" + options.threads(),
        "-Dai.djl.offline=" + System.getProperty("ai.djl.offline", "true")));
    for (String p : List.of(EngineSettings.DEVICE_PROPERTY, EngineSettings.CHECK_PROPERTY,
        "lossbench.torchscript.optimize")) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TorchScriptStepChild.class.getName(),
        options.module().toAbsolutePath().toString(), "" + options.batch(), "" + options.size(), "" + options.words(),
        "" + options.steps(), "" + options.warmup(), workDir.toAbsolutePath().toString()));
    Path err = Files.createTempFile(workDir, "lossbench-side", ".err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    try {
      String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(1, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("the child JVM did not exit");
      }
      String[] lines = stdout.split("\n");
      if (p.exitValue() != 0 || !lines[lines.length - 1].startsWith("{")) {
        throw new IOException("child JVM exit " + p.exitValue() + ": " + lastLines(Files.readString(err), 3));
      }
      return JSON.readTree(lines[lines.length - 1]);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** Debian's netlib reference BLAS ({@code /usr/lib/<arch>/blas/libblas.so.3}), where OpenBLAS is not installed. */
  static boolean isReferenceBlas(String library) {
    return library.matches("(?s).*/blas/libblas\\.so[.0-9]*.*");
  }

  static String bytes(long b) {
    if (b < 0) {
      return "not measured";
    }
    if (b < 10L << 20) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
    return b < 10L << 30
        ? String.format(Locale.ROOT, "%.0f MiB", b / 1048576.0)
        : String.format(Locale.ROOT, "%.2f GiB", b / 1073741824.0);
  }

  private static String lastLines(String text, int n) {
    String[] lines = text.strip().split("\n");
    return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - n), lines.length));
  }
}
