package dev.lossbench.retrieval.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.InvalidInputException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ranks counted on the engine's device equal the host's tiled ranks exactly, ties included. */
class DeviceRanksTest {

  /** Embeddings with few distinct values, so that many similarities tie exactly. */
  private static float[] coarse(Random rnd, int rows, int dim, boolean ties) {
    float[] v = new float[rows * dim];
    for (int i = 0; i < v.length; i++) {
      v[i] = ties ? rnd.nextInt(3) - 1 : (float) rnd.nextGaussian();
    }
    return v;
  }

  @ParameterizedTest(name = "n={0} k={1} tile={2} ties={3}")
  @CsvSource({"1,1,4,false", "37,5,8,true", "37,5,512,false", "50,1,7,true", "23,3,1,true", "64,5,16,false",
      "64,5,16,true"})
  void deviceRanksEqualTheHostRanks(int n, int k, int tile, boolean ties) {
    Random rnd = new Random(n * 131L + k * 7L + tile);
    int dim = ties ? 3 : 8;
    float[] images = coarse(rnd, n, dim, ties);
    float[] captions = coarse(rnd, n * k, dim, ties);
    try (NDManager m = NDManager.newBaseManager()) {
      RetrievalRanks host;
      try (EmbeddingSimilarities sims = new EmbeddingSimilarities(m, images, captions, dim)) {
        host = new RecallAtK(k, tile).ranks(sims);
      }
      NDArray img = m.create(images, new Shape(n, dim));
      NDArray cap = m.create(captions, new Shape((long) n * k, dim));
      RetrievalRanks device = new DeviceRanks(k, tile).ranks(img, cap);
      assertArrayEquals(host.i2t(), device.i2t());
      assertArrayEquals(host.t2i(), device.t2i());
    }
  }

  @Test
  void aNanSimilarityIsRefused() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray img = m.create(new float[]{1, 0, Float.NaN, 1}, new Shape(2, 2));
      NDArray cap = m.create(new float[]{1, 0, 0, 1}, new Shape(2, 2));
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> new DeviceRanks(1, 4).ranks(img, cap));
      assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }
  }

  @ParameterizedTest(name = "folds={0}")
  @CsvSource({"1", "5"})
  void embeddingsRecallIsTheSameOnEitherPath(int folds) {
    Random rnd = new Random(99 + folds);
    int n = 40;
    int k = 5;
    try (NDManager m = NDManager.newBaseManager()) {
      Embeddings e = new Embeddings(m.create(coarse(rnd, n, 4, true), new Shape(n, 4)),
          m.create(coarse(rnd, n * k, 4, true), new Shape((long) n * k, 4)));
      RecallMetrics host = e.recallOnHost(k, folds);
      RecallMetrics device = e.recallOnDevice(k, folds);
      assertEquals(host, device);
    }
  }
}
