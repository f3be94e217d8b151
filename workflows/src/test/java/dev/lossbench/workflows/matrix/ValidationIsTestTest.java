package dev.lossbench.workflows.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lossbench.retrieval.data.DatasetKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MSR-VTT without MSRVTT_val.csv validates on its 1k-A test split: flagged, so nothing claims "chosen on validation". */
class ValidationIsTestTest {
  @TempDir
  Path dir;

  @Test
  void msrvttWithoutAValidationFileValidatesOnTest() throws Exception {
    String why = DatasetFiles.validationIsTest(DatasetKind.MSRVTT, dir.toString());
    assertEquals(dir.resolve("MSRVTT_val.csv") + " not found: the dev split is the 1k-A test split, so the best epoch"
        + " and anything chosen on validation are chosen on test data", why);
    Files.writeString(dir.resolve("MSRVTT_val.csv"), "video_id,sentence\n");
    assertNull(DatasetFiles.validationIsTest(DatasetKind.MSRVTT, dir.toString()));
    assertNull(DatasetFiles.validationIsTest(DatasetKind.SYNTHETIC, null));
    assertNull(DatasetFiles.validationIsTest(DatasetKind.PRECOMP, dir.toString()), "precomp has its own dev files");
  }
}
