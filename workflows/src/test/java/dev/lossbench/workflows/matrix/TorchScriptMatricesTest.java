package dev.lossbench.workflows.matrix;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.data.DatasetKind;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.retrieval.model.TorchScriptSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fine-tuning matrices under {@code matrices/torchscript/} parse; the raw-image kinds are checked like the others. */
class TorchScriptMatricesTest {
  @TempDir
  Path temp;

  private static Path matrices() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("matrices/torchscript"))) {
        return dir.resolve("matrices/torchscript");
      }
    }
    throw new IllegalStateException("no matrices/torchscript/ above " + Path.of("").toAbsolutePath());
  }

  private Path flickr() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("f30k/images"));
    Files.writeString(dir.getParent().resolve("dataset_flickr30k.json"), "{\"images\": []}");
    return dir.getParent();
  }

  @Test
  void theFixtureMatrixFineTunesTheFixtureOnRenderedScenesWithThreeLosses() {
    BenchmarkSpec spec = new MatrixParser(Map.of()).read(matrices().resolve("finetune-torchscript.yaml"));
    assertEquals(DatasetKind.SYNTHETIC_IMAGES, spec.datasets().get(0).kind());
    assertEquals(3, spec.cells().size());
    ModelSpec model = spec.modelSpecs().get(0);
    TorchScriptSpec ts = TorchScriptSpec.of(model);
    assertEquals(List.of("text.token"), ts.freeze());
    assertEquals(List.of("visual.proj", "text.proj"), ts.head());
    assertEquals(spec, BenchmarkSpec.fromCanonicalJson(spec.toCanonicalJson()));
  }

  @Test
  void theRealSizeMatrixTrainsTheGeneratedClipShapedModuleAt224PixelsBatch16With77Tokens() {
    BenchmarkSpec spec = new MatrixParser(Map.of()).read(matrices().resolve("clip-vit-b32-synthetic.yaml"));
    assertEquals(DatasetKind.SYNTHETIC_IMAGES, spec.datasets().get(0).kind());
    assertEquals(3, spec.cells().size());
    assertEquals(16, spec.cells().get(0).trainingConfig().batchSize());
    TorchScriptSpec ts = TorchScriptSpec.of(spec.modelSpecs().get(0));
    assertEquals("target/clip-vit-b32/clip_vit_b32.pt", ts.path());
    assertEquals(List.of("visual.proj", "text_projection"), ts.head());
    assertEquals(224, ts.imageSize());
    assertEquals(77, ts.maxWords());
  }

  @Test
  void theClipMatrixReadsItsDataFromTheEnvironment() throws IOException {
    Path f30k = flickr();
    BenchmarkSpec spec = new MatrixParser(Map.of("FLICKR30K_RAW", f30k.toString()))
        .read(matrices().resolve("clip-flickr30k.yaml"));
    assertEquals(DatasetKind.KARPATHY, spec.datasets().get(0).kind());
    assertEquals(f30k.toString(), spec.datasets().get(0).path());
    assertEquals("${CLIP_TORCHSCRIPT}", TorchScriptSpec.of(spec.modelSpecs().get(0)).path(), "expanded by the worker");
    assertEquals(spec, BenchmarkSpec.fromCanonicalJson(spec.toCanonicalJson()));
  }

  @Test
  void aKarpathyDirectoryWithoutItsCaptionsFileAndATorchscriptModelWithoutAPathAreNamed() throws IOException {
    Path empty = Files.createDirectories(temp.resolve("empty"));
    String yaml = "name: t\ndatasets:\n  - {name: raw, kind: karpathy, path: " + empty + "}\n"
        + "models:\n  - {name: torchscript, tokenizer: t.json}\nlosses: [infonce]\n";
    MatrixException e = assertThrows(MatrixException.class,
        () -> new MatrixParser(Map.of()).read(yaml, "t.yaml", temp));
    assertTrue(e.getMessage().contains("has no dataset_*.json: expected one Karpathy-split captions file"),
        e.getMessage());
    assertTrue(e.getMessage().contains("model torchscript: path is required"), e.getMessage());
  }
}
