package dev.lossbench.workflows.matrix;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.eval.EvaluationProtocol;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cells and specs travel as workflow and activity arguments: Temporal's own converter must round-trip them. */
class TemporalPayloadTest {
  @TempDir
  Path temp;

  @Test
  void cellsAndSpecsRoundTripThroughTemporalsDataConverter() {
    Path f30k = DataDirectories.precomp(temp, "train", "dev", "test");
    BenchmarkSpec spec = new MatrixParser(Map.of()).read("""
        name: q
        datasets:
          - {name: s, kind: synthetic, params: {noise: 0.75}}
          - {name: f, kind: precomp, path: %s}
        models: [vse-mean:embed_dim=64]
        losses: [triplet-hn, {name: unified, gamma: [20, 50]}]
        seeds: 2
        training: {epochs: 2}
        study: {alpha: 0.01, equivalence: {rsum: 2%%, r1_i2t: 1.5}, unified: [unified:gamma=20], primary: [rsum]}
        """.formatted(f30k), "q.yaml", temp);
    assertNotNull(spec.study(), "the study: block travels with the spec");
    DataConverter converter = DefaultDataConverter.newDefaultInstance();

    for (Cell cell : spec.cells()) {
      Payload payload = converter.toPayload(cell).orElseThrow();
      String json = payload.getData().toStringUtf8();
      assertFalse(json.contains("\"id\""), "derived values are not serialised: " + json);
      Cell back = converter.fromPayload(payload, Cell.class, Cell.class);
      assertEquals(cell, back);
      assertEquals(cell.id(), back.id());
    }
    Payload payload = converter.toPayload(spec).orElseThrow();
    BenchmarkSpec back = converter.fromPayload(payload, BenchmarkSpec.class, BenchmarkSpec.class);
    assertEquals(spec, back);
    assertEquals(spec.specHash(), back.specHash());
    assertEquals(List.of(EvaluationProtocol.TEST), back.datasets().get(1).protocols());
  }
}
