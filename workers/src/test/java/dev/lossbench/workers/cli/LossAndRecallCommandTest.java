package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lossbench.retrieval.npy.NpyWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossAndRecallCommandTest {
  @TempDir
  Path dir;

  // rows are images, columns captions; S[0][1] = 0.95 violates the margin only if pair 1 is a negative of pair 0
  static final double[] SIMS = {
      0.90, 0.95, 0.10,
      0.20, 0.80, 0.75,
      0.30, 0.10, 0.70,
  };

  @Test
  void tripletHnByHand() {
    Path s = dir.resolve("s.npy");
    NpyWriter.writeDoubles(s, SIMS, 3, 3);
    // i2t hinges [m − s_ii + s_ij]_+ with m = 0.2: row 0 → 0.25 (col 1), row 1 → 0.15 (col 2), row 2 → 0
    // t2i: col 0 → 0, col 1 → 0.35 (row 0), col 2 → 0.25 (row 1); VSE sums both
    JsonNode j = CommandRun.of("loss", "--spec", "triplet-hn", "--sims", s.toString()).json();
    assertEquals(0.25 + 0.15 + 0.35 + 0.25, j.get("loss").asDouble(), 1e-12);
    assertEquals((0.25 + 0.15) / 3, j.get("i2t").asDouble(), 1e-12);
    assertEquals((0.35 + 0.25) / 3, j.get("t2i").asDouble(), 1e-12);
    assertEquals(List.of("loss", "i2t", "t2i"), fieldNames(j));
  }

  @Test
  void groupsExcludeTheOtherCaptionOfTheSameImage() {
    Path s = dir.resolve("s.npy");
    Path g = dir.resolve("g.npy");
    NpyWriter.writeDoubles(s, SIMS, 3, 3);
    NpyWriter.writeLongs(g, new long[]{7, 7, 9}, 3);
    JsonNode j = CommandRun.of("loss", "--spec", "triplet-hn", "--sims", s.toString(), "--groups", g.toString()).json();
    // pairs 0 and 1 share image 7: S[0][1] and S[1][0] are no longer negatives
    assertEquals(0.15 + 0.25, j.get("loss").asDouble(), 1e-12);
  }

  @Test
  void unifiedOnFloat32MatchesTheFormula() {
    Path s = dir.resolve("s32.npy");
    float[] f = new float[SIMS.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) SIMS[i];
    }
    NpyWriter.writeFloats(s, f, 3, 3);
    double gamma = 20;
    double m = 0.1;
    double i2t = 0;
    double t2i = 0;
    for (int i = 0; i < 3; i++) {
      double rowSum = 0;
      double colSum = 0;
      for (int j = 0; j < 3; j++) {
        if (j != i) {
          rowSum += Math.exp(gamma * (f[i * 3 + j] - f[i * 3 + i] + m));
          colSum += Math.exp(gamma * (f[j * 3 + i] - f[i * 3 + i] + m));
        }
      }
      i2t += Math.log1p(rowSum) / 3;
      t2i += Math.log1p(colSum) / 3;
    }
    JsonNode j = CommandRun.of("loss", "--spec", "unified:gamma=20,margin=0.1", "--sims", s.toString()).json();
    assertEquals(i2t, j.get("i2t").asDouble(), 1e-4);
    assertEquals(t2i, j.get("t2i").asDouble(), 1e-4);
    assertEquals((i2t + t2i) / 2, j.get("loss").asDouble(), 1e-4);
  }

  // 2 images × 4 captions (K = 2): image 0 owns captions 0, 1; image 1 owns 2, 3
  static final float[] RECALL_SIMS = {
      0.9f, 0.1f, 0.95f, 0.2f,
      0.3f, 0.8f, 0.1f, 0.7f,
  };

  static void assertHandComputedRecall(JsonNode j) {
    // i2t ranks: image 0's best caption (0.9) has 0.95 above it → 1; image 1's best (0.7) has 0.8 above → 1
    // t2i ranks: caption 0 → 0, caption 1 → 1, caption 2 → 1, caption 3 → 0
    assertEquals(0.0, j.get("i2t_r1").asDouble());
    assertEquals(100.0, j.get("i2t_r5").asDouble());
    assertEquals(100.0, j.get("i2t_r10").asDouble());
    assertEquals(50.0, j.get("t2i_r1").asDouble());
    assertEquals(100.0, j.get("t2i_r5").asDouble());
    assertEquals(450.0, j.get("rsum").asDouble());
    assertEquals(2.0, j.get("i2t_medr").asDouble());
    assertEquals(2.0, j.get("i2t_meanr").asDouble());
    assertEquals(1.0, j.get("t2i_medr").asDouble());
    assertEquals(1.5, j.get("t2i_meanr").asDouble());
    assertEquals(List.of("i2t_r1", "i2t_r5", "i2t_r10", "t2i_r1", "t2i_r5", "t2i_r10", "rsum",
        "i2t_medr", "i2t_meanr", "t2i_medr", "t2i_meanr"), fieldNames(j));
  }

  @Test
  void recallFromASimilarityFile() {
    Path s = dir.resolve("sims.npy");
    NpyWriter.writeFloats(s, RECALL_SIMS, 2, 4);
    CommandRun r = CommandRun.of("recall", "--sims", s.toString(), "--captions-per-image", "2");
    assertEquals(0, r.exitCode(), r.err());
    assertHandComputedRecall(r.json());
  }

  @Test
  void recallFromEmbeddingsIsThePlainDotProduct() {
    // image embeddings are the unit axes, so caption c's embedding is column c of the matrix (not normalised)
    Path i = dir.resolve("img.npy");
    Path c = dir.resolve("cap.npy");
    NpyWriter.writeFloats(i, new float[]{1, 0, 0, 1}, 2, 2);
    float[] caps = new float[8];
    for (int col = 0; col < 4; col++) {
      caps[col * 2] = RECALL_SIMS[col];
      caps[col * 2 + 1] = RECALL_SIMS[4 + col];
    }
    NpyWriter.writeFloats(c, caps, 4, 2);
    CommandRun r = CommandRun.of("recall", "--images", i.toString(), "--captions", c.toString(), "-k", "2");
    assertEquals(0, r.exitCode(), r.err());
    assertHandComputedRecall(r.json());
  }

  @Test
  void recallKeepsFloat64() {
    // 0.5 + 1e-12 rounds to 0.5 in float32, tying with the other caption; in float64 caption 1 is strictly ahead
    Path s = dir.resolve("f64.npy");
    NpyWriter.writeDoubles(s, new double[]{0.9, 0.1, 0.5, 0.5 + 1e-12}, 2, 2);
    JsonNode j = CommandRun.of("recall", "--sims", s.toString(), "-k", "1").json();
    assertEquals(100.0, j.get("i2t_r1").asDouble(), "float32 rounding made it 50");
    assertEquals(100.0, j.get("t2i_r1").asDouble());
  }

  @Test
  void lossRejectsNonFiniteSimilarities() {
    Path nan = dir.resolve("nan.npy");
    NpyWriter.writeDoubles(nan, new double[]{0.9, Double.NaN, 0.1, 0.8}, 2, 2);
    expectBadInput(nan + ": similarity at row 0, column 1 is NaN; every similarity must be finite",
        "loss", "--spec", "infonce", "--sims", nan.toString());
    Path inf = dir.resolve("inf.npy");
    NpyWriter.writeFloats(inf, new float[]{0.9f, 0.2f, Float.POSITIVE_INFINITY, 0.8f}, 2, 2);
    expectBadInput(inf + ": similarity at row 1, column 0 is Infinity", "loss", "--spec", "unified", "--sims",
        inf.toString());
    assertEquals(1, CommandRun.of("loss", "--spec", "infonce", "--sims", nan.toString()).err().lines().count());
  }

  @Test
  void foldsAverageTheFolds() {
    // 4 images, K = 1, two folds of 2; image 0 is beaten by image 3's caption only across folds
    float[] s = {
        0.5f, 0.1f, 0.1f, 0.9f,
        0.1f, 0.5f, 0.1f, 0.1f,
        0.1f, 0.1f, 0.5f, 0.1f,
        0.1f, 0.1f, 0.1f, 0.5f,
    };
    Path p = dir.resolve("folds.npy");
    NpyWriter.writeFloats(p, s, 4, 4);
    JsonNode whole = CommandRun.of("recall", "--sims", p.toString(), "-k", "1").json();
    JsonNode folds = CommandRun.of("recall", "--sims", p.toString(), "-k", "1", "--folds", "2").json();
    assertEquals(75.0, whole.get("i2t_r1").asDouble());
    assertEquals(100.0, folds.get("i2t_r1").asDouble());
  }

  @Test
  void badInputIsOneClearLineAndExitCodeTwo() throws Exception {
    Path good = dir.resolve("good.npy");
    NpyWriter.writeDoubles(good, SIMS, 3, 3);
    Path ints = dir.resolve("ints.npy");
    NpyWriter.writeLongs(ints, new long[]{1, 2, 3, 4}, 2, 2);
    Path garbage = dir.resolve("garbage.npy");
    Files.writeString(garbage, "not numpy at all");
    Path rect = dir.resolve("rect.npy");
    NpyWriter.writeFloats(rect, new float[6], 2, 3);
    Path groups = dir.resolve("groups.npy");
    NpyWriter.writeLongs(groups, new long[]{1, 2}, 2);

    expectBadInput(dir.resolve("missing.npy") + ": file not found",
        "loss", "--spec", "infonce", "--sims", dir.resolve("missing.npy").toString());
    expectBadInput(ints + ": expected float32 or float64 data, got <i8", "loss", "--spec", "infonce", "--sims",
        ints.toString());
    expectBadInput(garbage + ": not a .npy file", "recall", "--sims", garbage.toString(), "-k", "1");
    expectBadInput(rect + ": expected a square B × B matrix, got 2 × 3", "loss", "--spec", "infonce", "--sims",
        rect.toString());
    expectBadInput(groups + ": 2 group ids for 3 pairs", "loss", "--spec", "triplet", "--sims", good.toString(),
        "--groups", groups.toString());
    expectBadInput("unified: gamma=0 is not allowed: expected a number > 0", "loss", "--spec", "unified:gamma=0",
        "--sims", good.toString());
    expectBadInput("expected 5 captions per image: 3 images need 15 captions, but " + good + " has 3 columns",
        "recall", "--sims", good.toString(), "-k", "5");
    expectBadInput("Missing required argument", "recall", "-k", "5");
  }

  private static void expectBadInput(String message, String... args) {
    CommandRun r = CommandRun.of(args);
    assertEquals(2, r.exitCode(), "exit code for " + String.join(" ", args) + "; stderr: " + r.err());
    assertTrue(r.err().contains(message), "stderr should say '" + message + "' but was: " + r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
    assertEquals("", r.out());
  }

  private static List<String> fieldNames(JsonNode j) {
    java.util.ArrayList<String> names = new java.util.ArrayList<>();
    for (Iterator<String> it = j.fieldNames(); it.hasNext();) {
      names.add(it.next());
    }
    return names;
  }
}
