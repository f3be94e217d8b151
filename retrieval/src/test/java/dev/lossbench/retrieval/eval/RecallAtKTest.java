package dev.lossbench.retrieval.eval;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.InvalidInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecallAtKTest {

  /** The protocol by sorting, as VSE's evaluation does: full matrix, stable descending order. */
  static int[][] referenceRanks(float[] s, int n, int k) {
    int c = n * k;
    int[] i2t = new int[n];
    for (int i = 0; i < n; i++) {
      final int row = i;
      Integer[] order = IntStream.range(0, c).boxed().sorted(Comparator.comparingDouble(j -> -s[row * c + j]))
          .toArray(Integer[]::new);
      int best = Integer.MAX_VALUE;
      for (int pos = 0; pos < c; pos++) {
        if (order[pos] / k == i) {
          best = Math.min(best, pos);
        }
      }
      i2t[i] = best;
    }
    int[] t2i = new int[c];
    for (int j = 0; j < c; j++) {
      final int col = j;
      Integer[] order = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble(i -> -s[i * c + col]))
          .toArray(Integer[]::new);
      for (int pos = 0; pos < n; pos++) {
        if (order[pos] == j / k) {
          t2i[j] = pos;
        }
      }
    }
    return new int[][]{i2t, t2i};
  }

  static float[] random(Random rnd, int size) {
    float[] s = new float[size];
    for (int i = 0; i < size; i++) {
      s[i] = (float) rnd.nextGaussian();
    }
    return s;
  }

  @ParameterizedTest(name = "n={0} k={1} tile={2}")
  @CsvSource({"1,1,4", "37,5,8", "37,5,512", "50,1,7", "23,3,1", "64,5,16"})
  void tiledRanksEqualTheFullMatrixReference(int n, int k, int tile) {
    Random rnd = new Random(n * 31L + k);
    float[] s = random(rnd, n * n * k);
    // make the positives somewhat likely to win, so ranks spread over 0..n
    for (int i = 0; i < n; i++) {
      for (int q = 0; q < k; q++) {
        s[i * n * k + i * k + q] += 1.5f;
      }
    }
    int[][] want = referenceRanks(s, n, k);
    RetrievalRanks got = new RecallAtK(k, tile).ranks(DenseSimilarities.of(s, n, n * k));
    assertArrayEquals(want[0], got.i2t(), "image→text ranks");
    assertArrayEquals(want[1], got.t2i(), "text→image ranks");
  }

  @Test
  void embeddingTilesOnTheEngineEqualTheFullProduct() {
    Random rnd = new Random(5);
    int n = 45;
    int k = 5;
    int d = 32;
    float[] img = random(rnd, n * d);
    float[] cap = random(rnd, n * k * d);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray full = m.create(img, new Shape(n, d)).matMul(m.create(cap, new Shape(n * k, d)).transpose());
      int[][] want = referenceRanks(full.toFloatArray(), n, k);
      try (EmbeddingSimilarities sims = new EmbeddingSimilarities(m, img, cap, d)) {
        RetrievalRanks got = new RecallAtK(k, 8).ranks(sims);
        assertArrayEquals(want[0], got.i2t());
        assertArrayEquals(want[1], got.t2i());
      }
    }
  }

  @Test
  void allTiesAreBrokenByIndexLowerFirst() {
    int n = 4;
    int k = 2;
    RetrievalRanks r = new RecallAtK(k, 3).ranks(DenseSimilarities.of(new float[n * n * k], n, n * k));
    // image i: its first caption i·k has i·k captions of lower index ahead of it
    assertArrayEquals(new int[]{0, 2, 4, 6}, r.i2t());
    // caption c: its image c/k has c/k images of lower index ahead of it
    assertArrayEquals(new int[]{0, 0, 1, 1, 2, 2, 3, 3}, r.t2i());
    RecallMetrics m = r.metrics();
    assertEquals(25.0, m.i2tR1());
    assertEquals(75.0, m.i2tR5()); // ranks 0, 2, 4 < 5
    assertEquals(25.0, m.t2iR1());
    assertEquals(100.0, m.t2iR5());
  }

  @Test
  void medianAndMeanRankFollowNumpy() {
    // even count: median of {0,1,3,10} is 2 → medr 3; mean 3.5 → meanr 4.5
    RecallMetrics even = RecallMetrics.fromRanks(new int[]{3, 0, 10, 1}, new int[]{0, 0, 0, 1});
    assertEquals(3.0, even.i2tMedr());
    assertEquals(4.5, even.i2tMeanr());
    // median 0.5 floors to 0 → medr 1
    assertEquals(1.0, even.t2iMedr());
    assertEquals(1.25, even.t2iMeanr());
    // odd count: median 4 → 5
    RecallMetrics odd = RecallMetrics.fromRanks(new int[]{9, 4, 0}, new int[]{4});
    assertEquals(5.0, odd.i2tMedr());
    assertEquals(100.0 / 3, odd.i2tR1(), 1e-12);
    assertEquals(200.0 / 3, odd.i2tR5(), 1e-12);
    assertEquals(100.0 / 3 + 200.0 / 3 + 100.0 + 0 + 100 + 100, odd.rsum(), 1e-9);
  }

  @Test
  void foldsAreEvaluatedSeparatelyAndAveraged() {
    int n = 10;
    int k = 2;
    int folds = 5;
    Random rnd = new Random(9);
    float[] s = random(rnd, n * n * k);
    // a distractor outside image 0's fold beats its positives in the 5K-style full evaluation only
    s[0 * n * k + 9 * k] = 100f;
    SimilaritySource all = DenseSimilarities.of(s, n, n * k);
    RecallAtK recall = new RecallAtK(k, 3);
    List<RecallMetrics> each = new ArrayList<>();
    int per = n / folds;
    for (int f = 0; f < folds; f++) {
      float[] sub = new float[per * per * k];
      for (int r = 0; r < per; r++) {
        for (int c = 0; c < per * k; c++) {
          sub[r * per * k + c] = s[(f * per + r) * n * k + f * per * k + c];
        }
      }
      each.add(recall.evaluate(DenseSimilarities.of(sub, per, per * k)));
    }
    RecallMetrics want = RecallMetrics.mean(each);
    RecallMetrics got = recall.evaluateFolds(all, folds);
    assertEquals(want, got);
    assertEquals(
        (each.get(0).rsum() + each.get(1).rsum() + each.get(2).rsum() + each.get(3).rsum() + each.get(4).rsum()) / 5,
        got.rsum(), 1e-9);
    assertNotEquals(recall.evaluate(all).i2tR1(), got.i2tR1(), "the distractor must matter only across folds");
  }

  @Test
  void badShapesAndNaNsAreClearErrors() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new RecallAtK(5).evaluate(DenseSimilarities.of(new float[12], 3, 4)));
    assertEquals("expected 5 captions per image: 3 images need 15 captions, got 4", e.getMessage());
    float[] s = new float[4];
    s[3] = Float.NaN;
    e = assertThrows(InvalidInputException.class, () -> new RecallAtK(1).evaluate(DenseSimilarities.of(s, 2, 2)));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    e = assertThrows(InvalidInputException.class,
        () -> new RecallAtK(1).evaluateFolds(DenseSimilarities.of(new float[9], 3, 3), 2));
    assertEquals("3 images cannot be split into 2 equal folds", e.getMessage());
  }
}
