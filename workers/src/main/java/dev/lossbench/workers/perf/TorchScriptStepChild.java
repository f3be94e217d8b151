package dev.lossbench.workers.perf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.TokenBatch;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ParameterGroups;
import dev.lossbench.retrieval.model.TorchScriptDualEncoder;
import dev.lossbench.retrieval.model.TorchScriptSpec;
import dev.lossbench.retrieval.train.AdamW;
import dev.lossbench.retrieval.train.Checkpoint;
import dev.lossbench.retrieval.train.CheckpointState;
import dev.lossbench.retrieval.train.RunIdentity;
import dev.lossbench.retrieval.train.TensorArrays;
import dev.lossbench.retrieval.train.TrainingStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * lossbench's side of {@code bench --torchscript}, in a JVM of its own so that its peak resident memory is the
 * training's alone: loads the module as a run does (trainable parameters, the contract checked), takes warm-up and
 * timed fine-tuning steps exactly as {@code TrainingLoop} takes them ({@link TrainingStep}: forward, symmetric InfoNCE
 * with the module's learnable logit scale, backward, clipping at 2, AdamW with open_clip's decay groups, the scale
 * clamped), then writes one checkpoint (weights + AdamW's moments, as {@code last.ckpt}, from the tensors' memory as
 * the trainer writes it) and one export (as {@code last.pt}) into the work directory. The last line of stdout is one
 * JSON object (see {@link TorchScriptBench}).
 *
 * <p>Arguments: module batch size words steps warmup workDir.
 */
final class TorchScriptStepChild {
  /** Token ids are drawn from [4, 118): the word-level fixture tokenizer's ids (make_fixture.py), as the PyTorch side. */
  static final int VOCAB = 118;
  static final double LR = 1e-5;
  static final double WEIGHT_DECAY = 0.2;
  static final double GRAD_CLIP = 2.0;

  private TorchScriptStepChild() {}

  public static void main(String[] args) throws Exception {
    Path module = Path.of(args[0]);
    int batch = Integer.parseInt(args[1]);
    int size = Integer.parseInt(args[2]);
    int words = Integer.parseInt(args[3]);
    int steps = Integer.parseInt(args[4]);
    int warmup = Integer.parseInt(args[5]);
    Path work = Path.of(args[6]);
    EngineSettings.applyThreads(null);
    Autograd.offOnThisThread();
    TorchScriptSpec spec = new TorchScriptSpec(module.toString(), "", words, size,
        new float[]{0, 0, 0}, new float[]{1, 1, 1}, List.of(), List.of(), 0, false);
    ObjectNode out = new ObjectMapper().createObjectNode();
    try (NDManager m = EngineSettings.newBaseManager();
        TorchScriptDualEncoder model = TorchScriptDualEncoder.load(m, module, spec, true)) {
      Map<String, NDArray> params = model.parameterArrays();
      ParameterGroups groups = model.parameterGroups();
      try (AdamW optimizer = new AdamW(m, params, WEIGHT_DECAY,
          name -> groups.decays(name, params.get(name).getShape().dimension()))) {
        TrainingStep step = new TrainingStep(model, LossSpec.parse("infonce:learnable=true").create(), optimizer,
            name -> false, GRAD_CLIP, LR, EngineSettings.lossCheckEvery(EngineSettings.device()), 0, 0);
        RegionBatch images = images(batch, size);
        TokenBatch tokens = tokens(batch, words);
        long[] distinct = new long[batch];
        for (int i = 0; i < batch; i++) {
          distinct[i] = i;
        }
        NDArray anyParameter = params.values().iterator().next();
        double[] seconds = new double[steps];
        for (int i = 0; i < warmup + steps; i++) {
          long t0 = System.nanoTime();
          step.run(m, images, tokens, distinct, i, 0, i, LR);
          EngineSettings.synchronize(anyParameter);
          if (i >= warmup) {
            seconds[i - warmup] = (System.nanoTime() - t0) / 1e9;
          }
        }
        out.put("parameters", params.values().stream().mapToLong(p -> p.getShape().size()).sum());
        out.put("step_seconds", median(seconds));
        out.put("peak_rss_training_bytes", MemoryProbe.peakResidentKiB() * 1024);
        Path checkpoint = work.resolve("last.ckpt");
        // as the trainer writes it (TrainingPosition.state): the live tensors, from their native memory, at once
        long t0 = System.nanoTime();
        Checkpoint.write(checkpoint, new CheckpointState(new RunIdentity("torchscript", "infonce:learnable=true",
            "bench", 0, "bench", 3 * size * size), 0, 0, warmup + steps, 0, 0, 0, Double.NEGATIVE_INFINITY, -1,
            List.of(), List.of(), TensorArrays.of(params), optimizer.stateOnDemand(), optimizer.stepCount()));
        out.put("checkpoint_seconds", (System.nanoTime() - t0) / 1e9);
        out.put("checkpoint_bytes", Files.size(checkpoint));
        Files.delete(checkpoint);
        Path export = work.resolve("last.pt");
        t0 = System.nanoTime();
        model.export(export, () -> {});
        out.put("export_seconds", (System.nanoTime() - t0) / 1e9);
        out.put("module_bytes", Files.size(export));
        Files.delete(export);
      }
    }
    out.put("peak_rss_bytes",
        Math.max(out.get("peak_rss_training_bytes").asLong(), MemoryProbe.peakResidentKiB() * 1024));
    out.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    System.out.println(out);
    System.out.flush();
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** Standard-normal pixels (already normalised, as the PyTorch side's torch.randn), one 3 × size × size row per image. */
  static RegionBatch images(int batch, int size) {
    SplittableRandom rnd = new SplittableRandom(11);
    int dim = 3 * size * size;
    float[] px = new float[batch * dim];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) gaussian(rnd);
    }
    int[] valid = new int[batch];
    Arrays.fill(valid, 1);
    return new RegionBatch(batch, 1, dim, px, valid);
  }

  private static double gaussian(SplittableRandom rnd) {
    double u = 1 - rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  /** Full-length captions (attention mask all ones) of ids in [4, {@link #VOCAB}), as the PyTorch side's. */
  static TokenBatch tokens(int batch, int words) {
    SplittableRandom rnd = new SplittableRandom(13);
    int[] ids = new int[batch * words];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 4 + rnd.nextInt(VOCAB - 4);
    }
    int[] lengths = new int[batch];
    Arrays.fill(lengths, words);
    return new TokenBatch(batch, words, ids, lengths);
  }
}
