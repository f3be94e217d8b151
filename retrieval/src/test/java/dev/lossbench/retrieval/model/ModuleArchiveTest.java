package dev.lossbench.retrieval.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.ModuleArchive;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The chunked archive writer gives the bytes DJL's own writer gives (less its 8-byte length prefix), whatever the
 * chunk size, one write per chunk; the chunk the export picks stays within 4 and 128 MiB.
 */
class ModuleArchiveTest {
  @Test
  void anyChunkSizeWritesTheSameArchiveAsDjl() {
    try (NDManager m = NDManager.newBaseManager()) {
      PtSymbolBlock module = JniUtils.loadModule((PtNDManager) m, TorchScriptFixture.model(), false, new String[0],
          new String[0], true);
      try {
        ByteArrayOutputStream djl = new ByteArrayOutputStream();
        JniUtils.writeModule(module, djl, true);
        byte[] want = Arrays.copyOfRange(djl.toByteArray(), 8, djl.size());
        for (int chunk : new int[]{1000, 4096, want.length, want.length + 1, 4 << 20}) {
          ByteArrayOutputStream got = new ByteArrayOutputStream();
          int[] writes = {0};
          ModuleArchive.write(module, new OutputStream() {
            @Override
            public void write(int b) {
              throw new AssertionError("single bytes");
            }

            @Override
            public void write(byte[] b, int off, int len) {
              assertTrue(len <= chunk, "at most a chunk per write");
              got.write(b, off, len);
              writes[0]++;
            }
          }, chunk);
          assertArrayEquals(want, got.toByteArray(), "chunk " + chunk);
          assertEquals((want.length + chunk - 1) / chunk, writes[0], "writes with chunk " + chunk);
        }
      } finally {
        module.close();
      }
    }
  }

  @Test
  void theExportsChunkIsAnEighthWithinBounds() {
    assertEquals(4 << 20, TorchScriptExport.chunkBytes(176_000));
    assertEquals(605_000_000 / 8, TorchScriptExport.chunkBytes(605_000_000));
    assertEquals(128 << 20, TorchScriptExport.chunkBytes(10_000_000_000L));
  }
}
