package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.TensorMemory;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.model.TorchScriptDualEncoder;
import dev.lossbench.retrieval.model.TorchScriptFixture;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints written from the live tensors' native memory ({@link TensorArrays}, issue #25): the same file, byte for
 * byte, as from the values as {@code float[]}s, and no copy of the model or of AdamW's moments on the heap.
 */
class CheckpointFromTensorsTest {
  private static final RunIdentity RUN = new RunIdentity("vse-mean", "infonce", "{}", 7, "d", 12);
  // about 2.3M parameters (GRU weights packed as views of one buffer): 9 MB of weights, 28 MB with both moments
  private static final ModelSpec SPEC = ModelSpec.parse("vse-mean:embed_dim=512,word_dim=128");

  @TempDir
  static Path data;
  static SyntheticFixture fixture;

  @BeforeAll
  static void generate() {
    fixture = new SyntheticFixture(data, 32, 8);
  }

  private static ModelAssembly assemble(NDManager m) {
    TrainingSetup setup = new TrainingSetup(fixture.train, fixture.dev, SPEC, LossSpec.parse("infonce"),
        TrainingConfig.defaults(), 1, null, List.of());
    ModelAssembly a = ModelAssembly.assemble(m, setup, null, null, null);
    a.optimizer.restore(randomLike(a.optimizer.state(), 5), 9);
    return a;
  }

  /** Values of the same sizes as {@code like}'s, from a seeded stream. */
  private static Map<String, float[]> randomLike(Map<String, float[]> like, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, float[]> out = new LinkedHashMap<>();
    like.forEach((name, v) -> {
      float[] r = new float[v.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = (float) rnd.nextGaussian();
      }
      out.put(name, r);
    });
    return out;
  }

  private static TrainingPosition position() {
    TrainingPosition pos = new TrainingPosition();
    pos.epoch = 2;
    pos.step = 3;
    pos.globalStep = 17;
    pos.epochLossSum = 2.5;
    return pos;
  }

  /** {@code s} with its arrays as the heap's {@code float[]}s: the way every checkpoint was written before. */
  private static CheckpointState asFloats(CheckpointState s, Map<String, float[]> parameters,
      Map<String, float[]> optimizer) {
    return new CheckpointState(s.run(), s.epoch(), s.stepInEpoch(), s.globalStep(), s.epochLossSum(),
        s.epochGradNormSum(), s.epochSeconds(), s.bestRsum(), s.bestEpoch(), s.history(), s.vocabulary(), parameters,
        optimizer, s.optimizerSteps());
  }

  private static void sameValues(Map<String, float[]> want, Map<String, float[]> got) {
    assertEquals(List.copyOf(want.keySet()), List.copyOf(got.keySet()));
    want.forEach((name, v) -> assertArrayEquals(v, got.get(name), 0f, name));
  }

  @Test
  void aSaveFromTheTensorsIsByteIdenticalToOneFromFloatArrays(@TempDir Path dir) throws IOException {
    try (NDManager m = NDManager.newBaseManager(); ModelAssembly a = assemble(m)) {
      CheckpointState live = position().state(RUN, a);
      assertTrue(live.parameters() instanceof TensorArrays && live.optimizer() instanceof TensorArrays);
      Path fromTensors = dir.resolve("tensors.ckpt");
      Path fromFloats = dir.resolve("floats.ckpt");
      Checkpoint.write(fromTensors, live);
      Map<String, float[]> params = a.model.parameterValues();
      Map<String, float[]> moments = a.optimizer.state();
      Checkpoint.write(fromFloats, asFloats(live, params, moments));

      assertEquals(-1, Files.mismatch(fromTensors, fromFloats));
      CheckpointState read = Checkpoint.read(fromTensors);
      sameValues(params, read.parameters());
      sameValues(moments, read.optimizer());
      // a reader of the live map gets the same values
      sameValues(params, live.parameters());
    }
  }

  @Test
  void aTorchScriptModulesSaveIsByteIdenticalToOneFromFloatArrays(@TempDir Path dir) throws IOException {
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptDualEncoder model = TorchScriptDualEncoder.load(m, TorchScriptFixture.spec(), true);
        AdamW optimizer = new AdamW(m, model.parameterArrays(), 0.2)) {
      optimizer.restore(randomLike(optimizer.state(), 3), 4);
      CheckpointState live = new CheckpointState(RUN, 1, 0, 4, 0, 0, 0, 0.5, 0, List.of(), List.of(),
          TensorArrays.of(model.parameterArrays()), optimizer.stateOnDemand(), optimizer.stepCount());
      Path fromTensors = dir.resolve("tensors.ckpt");
      Path fromFloats = dir.resolve("floats.ckpt");
      Checkpoint.write(fromTensors, live);
      Checkpoint.write(fromFloats, asFloats(live, model.parameterValues(), optimizer.state()));

      assertEquals(-1, Files.mismatch(fromTensors, fromFloats));
      sameValues(model.parameterValues(), Checkpoint.read(fromTensors).parameters());
    }
  }

  /** A non-contiguous tensor (a transposed view) is written through a contiguous copy that is closed: nothing leaks. */
  @Test
  void aNonContiguousTensorIsWrittenInItsOrderAndLeavesNothingBehind(@TempDir Path dir) throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] rows = new float[3 * 5];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = i * 0.5f - 3;
      }
      NDArray matrix = m.create(rows, new Shape(3, 5));
      NDArray transposed = matrix.transpose();
      float[] columns = new float[rows.length];
      for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 3; j++) {
          columns[i * 3 + j] = rows[j * 5 + i];
        }
      }
      assertTrue(TensorMemory.isContiguous((PtNDArray) matrix));
      assertFalse(TensorMemory.isContiguous((PtNDArray) transposed));
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      tensors.put("matrix", matrix);
      tensors.put("transposed", transposed);
      tensors.put("empty", m.create(new float[0], new Shape(0)));
      Map<String, float[]> floats = new LinkedHashMap<>();
      floats.put("matrix", rows);
      floats.put("transposed", columns);
      floats.put("empty", new float[0]);

      int arrays = m.getManagedArrays().size();
      Path fromTensors = dir.resolve("tensors.ckpt");
      Checkpoint.write(fromTensors, new CheckpointState(RUN, 0, 0, 0, 0, 0, 0, 0, -1, List.of(), List.of(),
          TensorArrays.of(tensors), Map.of(), 0));
      assertEquals(arrays, m.getManagedArrays().size(), "arrays attached to the tensors' manager");
      Path fromFloats = dir.resolve("floats.ckpt");
      Checkpoint.write(fromFloats, new CheckpointState(RUN, 0, 0, 0, 0, 0, 0, 0, -1, List.of(), List.of(), floats,
          Map.of(), 0));
      assertEquals(-1, Files.mismatch(fromTensors, fromFloats));
    }
  }

  /**
   * The heap a save allocates (a count of bytes, not a timing): state and write together allocate on the writing
   * thread far less than the arrays' bytes. With the arrays copied to {@code float[]}s (before #25) it was more
   * than their bytes: the weights at once, then each moment.
   */
  @Test
  void aSaveAllocatesFarLessHeapThanTheArraysHold(@TempDir Path dir) {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean
        && ((com.sun.management.ThreadMXBean) bean).isThreadAllocatedMemorySupported(), "needs HotSpot's counter");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    long thread = Thread.currentThread().getId();
    try (NDManager m = NDManager.newBaseManager(); ModelAssembly a = assemble(m)) {
      long bytes = 3 * 4 * a.model.parameterArrays().values().stream().mapToLong(p -> p.getShape().size()).sum();
      assertTrue(bytes >= 16 << 20, "parameters and moments hold " + bytes + " bytes");
      TrainingPosition pos = position();
      Path file = dir.resolve("last.ckpt");
      Checkpoint.write(file, pos.state(RUN, a)); // classes loaded, buffers sized

      long before = threads.getThreadAllocatedBytes(thread);
      Checkpoint.write(file, pos.state(RUN, a));
      long allocated = threads.getThreadAllocatedBytes(thread) - before;

      System.out.printf("checkpoint of %.1f MB of arrays: %.2f MB allocated on the heap%n", bytes / 1e6,
          allocated / 1e6);
      assertTrue(allocated < bytes / 4, allocated + " bytes allocated writing " + bytes + " bytes of arrays");
    }
  }
}
