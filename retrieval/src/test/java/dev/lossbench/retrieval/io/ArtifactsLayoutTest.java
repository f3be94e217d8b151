package dev.lossbench.retrieval.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ArtifactsLayoutTest {

  /** Artifacts volumes written before this class existed must still be found. */
  @Test
  void namesStayWhereTheyWere() {
    ArtifactsLayout layout = new ArtifactsLayout(Path.of("/artifacts"));
    assertEquals(Path.of("/artifacts/datasets/synthetic-0123"), layout.dataset("synthetic-0123"));
    Path run = layout.run("run-abc");
    assertEquals(Path.of("/artifacts/runs/run-abc"), run);
    assertEquals(run.resolve("last.ckpt"), ArtifactsLayout.lastCheckpoint(run));
    assertEquals(run.resolve("prev.ckpt"), ArtifactsLayout.previousCheckpoint(run));
    assertEquals(run.resolve("best.ckpt"), ArtifactsLayout.bestCheckpoint(run));
    assertEquals(run.resolve("last.pt"), ArtifactsLayout.lastModule(run));
    assertEquals(run.resolve("best.pt"), ArtifactsLayout.bestModule(run));
  }
}
