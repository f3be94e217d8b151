package dev.lossbench.retrieval.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import dev.lossbench.retrieval.data.RegionBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export as a copy of the source's archive: it holds the current parameters (libtorch reads them back), gives the
 * same embeddings as libtorch's own serialisation, keeps every other record of the source byte for byte, aligns data
 * as libtorch does, is deterministic, and gives way to the serialiser whenever a copy could not be trusted.
 */
class TorchScriptArchiveTest {

  /** A writable copy of a fixture, so that its modification time can be changed. */
  private static Path copyOf(String fixture, Path dir) throws IOException {
    Path to = dir.resolve(fixture);
    Files.copy(TorchScriptFixture.resource(fixture), to);
    return to;
  }

  /** Every parameter moved away from the file's values: the export must carry these, not the source's. */
  private static Map<String, float[]> moveParameters(TorchScriptDualEncoder model) {
    Map<String, float[]> moved = model.parameterValues();
    moved.replaceAll((name, v) -> {
      float[] w = v.clone();
      for (int i = 0; i < w.length; i++) {
        w[i] = w[i] * 0.9f + (float) Math.sin(i + name.length()) * 1e-3f;
      }
      return w;
    });
    model.loadParameters(moved, "test");
    return moved;
  }

  @Test
  void theCopyHoldsTheCurrentParametersAndTheSourcesOtherRecords(@TempDir Path dir) throws IOException {
    for (String fixture : List.of("clip_tiny.pt", "clip_wrapped_tiny.pt")) {
      Path source = copyOf(fixture, dir);
      Path copied = dir.resolve("copied-" + fixture);
      Path serialised = dir.resolve("serialised-" + fixture);
      ModelSpec spec = TorchScriptFixture.spec(source, "max_words", 8);
      RegionBatch images = TorchScriptDualEncoderTest.referenceImages();
      try (NDManager m = NDManager.newBaseManager();
          TorchScriptDualEncoder model = TorchScriptDualEncoder.load(m, spec, true)) {
        Map<String, float[]> moved = moveParameters(model);
        assertTrue(TorchScriptArchive.plan(source, attributes(source), model.parameterArrays()).isPresent(),
            fixture + ": the source's archive can carry the parameters");
        assertTrue(model.export(copied, () -> {}));
        assertTrue(model.exportSerialised(serialised, false));

        assertEquals(moved.keySet(), parametersOf(copied).keySet(), fixture + ": every parameter");
        parametersOf(copied).forEach((name, values) -> assertArrayEquals(moved.get(name), values, 0f,
            fixture + ": " + name + " holds the current values"));
        float[] img = model.encodeImages(m, images, false).toFloatArray();
        for (Path file : List.of(copied, serialised)) {
          try (TorchScriptDualEncoder reloaded = TorchScriptDualEncoder.load(m, file, TorchScriptSpec.of(spec), true)) {
            assertArrayEquals(img, reloaded.encodeImages(m, images, false).toFloatArray(), 0f, file + ": embeddings");
          }
        }

        // the records: the source's names in its order; every record but the parameters' byte for byte the source's
        try (ZipFile from = new ZipFile(source.toFile()); ZipFile to = new ZipFile(copied.toFile())) {
          List<String> names = names(from);
          assertEquals(names, names(to), fixture + ": the same records in the same order");
          int replaced = 0;
          for (String name : names) {
            boolean same = Arrays.equals(bytes(from, name), bytes(to, name));
            if (!same) {
              replaced++;
              assertTrue(name.contains("/data/"), fixture + ": only storage records change, not " + name);
            }
          }
          assertEquals(moved.size(), replaced, fixture + ": one storage record per parameter replaced");
        }
        assertEquals(List.of(), misaligned(copied), fixture + ": records whose data does not start on 64 bytes");

        Path again = dir.resolve("again-" + fixture);
        assertTrue(model.export(again, () -> {}));
        assertEquals(-1L, Files.mismatch(copied, again), fixture + ": the same parameters give the same bytes");
      }
    }
  }

  @Test
  void aSourceChangedSinceLoadingIsSerialisedInstead(@TempDir Path dir) throws IOException {
    Path source = copyOf("clip_tiny.pt", dir);
    Path out = dir.resolve("out.pt");
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptDualEncoder model = TorchScriptDualEncoder.load(m, TorchScriptFixture.spec(source), true)) {
      BasicFileAttributes asLoaded = attributes(source);
      Map<String, float[]> moved = moveParameters(model);
      Files.setLastModifiedTime(source, FileTime.fromMillis(asLoaded.lastModifiedTime().toMillis() - 60_000));
      assertEquals(Optional.empty(), TorchScriptArchive.plan(source, asLoaded, model.parameterArrays()),
          "a source touched since loading is not copied");
      assertTrue(model.export(out, () -> {}));
      parametersOf(out).forEach((name, values) -> assertArrayEquals(moved.get(name), values, 0f, name));
    }
  }

  @Test
  void aParameterTheSourceDoesNotHoldIsSerialisedInstead(@TempDir Path dir) throws IOException {
    Path source = copyOf("clip_tiny.pt", dir);
    try (NDManager m = NDManager.newBaseManager();
        TorchScriptDualEncoder model = TorchScriptDualEncoder.load(m, TorchScriptFixture.spec(source), true)) {
      Map<String, NDArray> renamed = new java.util.LinkedHashMap<>(model.parameterArrays());
      renamed.put("no.such.parameter", renamed.remove("logit_scale"));
      assertEquals(Optional.empty(), TorchScriptArchive.plan(source, attributes(source), renamed));
      Map<String, NDArray> reshaped = new java.util.LinkedHashMap<>(model.parameterArrays());
      String name = reshaped.keySet().stream().filter(k -> reshaped.get(k).getShape().dimension() == 2).findFirst()
          .orElseThrow();
      try (NDArray flat = reshaped.get(name).reshape(-1)) {
        reshaped.put(name, flat);
        assertEquals(Optional.empty(), TorchScriptArchive.plan(source, attributes(source), reshaped),
            "a parameter whose shape is not its record's");
      }
    }
  }

  @Test
  void thePickleReaderNamesEveryParameterAndRefusesWhatItDoesNotKnow() throws IOException {
    Path source = TorchScriptFixture.model();
    byte[] pickle;
    try (ZipFile zip = new ZipFile(source.toFile())) {
      pickle = bytes(zip, "clip_tiny/data.pkl");
    }
    TorchScriptPickle.Tensors tensors = TorchScriptPickle.read(pickle).orElseThrow();
    assertTrue(tensors.byPath().keySet().containsAll(parametersOf(source).keySet()),
        "every parameter, named as libtorch names it: " + tensors.byPath().keySet());
    tensors.byPath().values().forEach(t -> assertTrue(t.coversItsStorage(), t.toString()));
    assertEquals(Optional.empty(), TorchScriptPickle.read(Arrays.copyOf(pickle, pickle.length / 2)), "truncated");
    assertEquals(Optional.empty(), TorchScriptPickle.read(new byte[]{(byte) 0x80, 2, (byte) 0xff, '.'}),
        "an unknown opcode");
    assertEquals(Optional.empty(), TorchScriptPickle.read(new byte[]{(byte) 0x80, 2, 'N', '.'}), "not an object");
  }

  @Test
  void aViewIsNotItsStorage() {
    TorchScriptPickle.TensorRef whole = new TorchScriptPickle.TensorRef("0", "torch.FloatStorage", "cpu", 6, 0,
        List.of(2L, 3L), List.of(3L, 1L));
    assertTrue(whole.coversItsStorage());
    assertFalse(new TorchScriptPickle.TensorRef("0", "torch.FloatStorage", "cpu", 6, 0, List.of(3L, 2L),
        List.of(1L, 3L)).coversItsStorage(), "transposed");
    assertFalse(new TorchScriptPickle.TensorRef("0", "torch.FloatStorage", "cpu", 8, 2, List.of(2L, 3L),
        List.of(3L, 1L)).coversItsStorage(), "offset");
    assertFalse(new TorchScriptPickle.TensorRef("0", "torch.FloatStorage", "cpu", 12, 0, List.of(2L, 3L),
        List.of(3L, 1L)).coversItsStorage(), "part of a larger storage");
  }

  private static BasicFileAttributes attributes(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class);
  }

  /** The file's parameters as libtorch loads them, by name. */
  private static Map<String, float[]> parametersOf(Path file) {
    Map<String, float[]> out = new java.util.LinkedHashMap<>();
    try (PtNDManager cpu = (PtNDManager) NDManager.newBaseManager(ai.djl.Device.cpu())) {
      PtSymbolBlock raw = JniUtils.loadModule(cpu, file, false, new String[0], new String[0], false);
      try {
        for (Pair<String, Parameter> p : raw.getDirectParameters()) {
          out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
      } finally {
        raw.close();
      }
    }
    return out;
  }

  private static List<String> names(ZipFile zip) {
    List<String> names = new ArrayList<>();
    Collections.list(zip.entries()).forEach(e -> names.add(e.getName()));
    return names;
  }

  private static byte[] bytes(ZipFile zip, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    try (InputStream in = zip.getInputStream(e)) {
      return in.readAllBytes();
    }
  }

  /** Walks the local headers (stored records, sizes in the header): the names whose data is not 64-byte aligned. */
  private static List<String> misaligned(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<String> out = new ArrayList<>();
    int at = 0;
    while (b.getInt(at) == 0x04034b50) {
      long size = b.getInt(at + 18) & 0xffffffffL;
      int nameLength = b.getShort(at + 26) & 0xffff;
      int extraLength = b.getShort(at + 28) & 0xffff;
      int data = at + 30 + nameLength + extraLength;
      if (data % 64 != 0) {
        byte[] name = new byte[nameLength];
        b.get(at + 30, name);
        out.add(new String(name, java.nio.charset.StandardCharsets.UTF_8));
      }
      at = (int) (data + size);
    }
    assertTrue(at > 0, "no local header at the start");
    return out;
  }
}
