package dev.lossbench.retrieval.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind answers for its format. Identities are hashed into dataset and run ids, so their text is pinned
 * here: changing one gives every stored run of that kind a new id.
 */
class DatasetKindTest {
  @TempDir
  Path dir;

  @Test
  void identitiesAreTheTextRunIdsHash() {
    SyntheticConfig knobs = SyntheticConfig.defaults();
    String hash = knobs.contentHash();
    assertEquals("synthetic content_hash=" + hash, DatasetKind.SYNTHETIC.identity(null, knobs, 5, 0));
    assertEquals("synthetic-images content_hash=" + hash + " size=64",
        DatasetKind.SYNTHETIC_IMAGES.identity(null, knobs, 5, 0));
    assertEquals("precomp path=/d captions_per_image=5", DatasetKind.PRECOMP.identity("/d", null, 5, 0));
    assertEquals("karpathy path=/d captions_per_image=3", DatasetKind.KARPATHY.identity("/d", null, 3, 0));
    assertEquals("msrvtt path=/d max_frames=12", DatasetKind.MSRVTT.identity("/d", null, 1, 12));
  }

  @Test
  void eachRealKindNamesTheFilesItsDirectoryLacks() throws IOException {
    Set<DatasetSplit> splits = new TreeSet<>(List.of(DatasetSplit.TRAIN, DatasetSplit.DEV, DatasetSplit.TEST));
    assertEquals(List.of("train_ims.npy", "train_caps.txt", "dev_ims.npy", "dev_caps.txt", "test_ims.npy",
        "test_caps.txt"), DatasetKind.PRECOMP.missingFiles(dir, splits));
    assertEquals("the precomp files {split}_ims.npy and {split}_caps.txt for splits train, dev, test",
        DatasetKind.PRECOMP.expectedFiles(splits));
    assertEquals(List.of("MSRVTT_train.9k.csv", "MSRVTT_JSFUSION_test.csv", "MSRVTT_data.json",
        "frame_features.npy or frame_features/"), DatasetKind.MSRVTT.missingFiles(dir, splits));
    assertEquals(List.of("dataset_*.json"), DatasetKind.KARPATHY.missingFiles(dir, splits));
    Files.createFile(dir.resolve("dataset_coco.json"));
    assertEquals(List.of(), DatasetKind.KARPATHY.missingFiles(dir, splits));
    Files.createFile(dir.resolve("dataset_flickr30k.json"));
    assertEquals(List.of("single dataset_*.json (it has 2)"), DatasetKind.KARPATHY.missingFiles(dir, splits));
    for (DatasetKind generated : List.of(DatasetKind.SYNTHETIC, DatasetKind.SYNTHETIC_IMAGES)) {
      assertEquals(List.of(), generated.missingFiles(dir, splits));
      assertEquals("", generated.expectedFiles(splits));
    }
  }

  @Test
  void onlyMsrvttWithoutAValidationFileValidatesOnTest() throws IOException {
    String why = DatasetKind.MSRVTT.validationIsTest(dir);
    assertTrue(why.startsWith(dir.resolve("MSRVTT_val.csv") + " not found: the dev split is the 1k-A test split"), why);
    Files.createFile(dir.resolve("MSRVTT_val.csv"));
    assertNull(DatasetKind.MSRVTT.validationIsTest(dir));
    assertNull(DatasetKind.PRECOMP.validationIsTest(dir));
  }

  @Test
  void realDataIsReadWhereItIsNotGenerated() {
    for (DatasetKind kind : DatasetKind.values()) {
      assertEquals(!kind.isSynthetic(), kind.takes("path"), kind.id());
      if (!kind.isSynthetic()) {
        assertThrows(IllegalStateException.class, () -> kind.generate(SyntheticConfig.defaults(), dir), kind.id());
      }
    }
  }
}
