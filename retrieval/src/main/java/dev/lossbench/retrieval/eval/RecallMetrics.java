package dev.lossbench.retrieval.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The VSE protocol's figures: Recall@1/5/10 in percent for image→text and text→image, their sum
 * (rSum), and median and mean rank (1-based: {@code medr = floor(median(rank0)) + 1},
 * {@code meanr = mean(rank0) + 1}).
 */
public record RecallMetrics(
    double i2tR1, double i2tR5, double i2tR10,
    double t2iR1, double t2iR5, double t2iR10,
    double rsum,
    double i2tMedr, double i2tMeanr,
    double t2iMedr, double t2iMeanr) {

  /** From 0-based ranks of every image query and every caption query. */
  public static RecallMetrics fromRanks(int[] i2tRanks, int[] t2iRanks) {
    double a1 = recall(i2tRanks, 1);
    double a5 = recall(i2tRanks, 5);
    double a10 = recall(i2tRanks, 10);
    double b1 = recall(t2iRanks, 1);
    double b5 = recall(t2iRanks, 5);
    double b10 = recall(t2iRanks, 10);
    return new RecallMetrics(a1, a5, a10, b1, b5, b10, a1 + a5 + a10 + b1 + b5 + b10,
        medr(i2tRanks), meanr(i2tRanks), medr(t2iRanks), meanr(t2iRanks));
  }

  static double recall(int[] ranks, int k) {
    long hits = Arrays.stream(ranks).filter(r -> r < k).count();
    return 100.0 * hits / ranks.length;
  }

  /** numpy's median (mean of the two middle values for an even count), floored, plus one. */
  static double medr(int[] ranks) {
    int[] s = ranks.clone();
    Arrays.sort(s);
    int n = s.length;
    double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + (double) s[n / 2]) / 2;
    return Math.floor(median) + 1;
  }

  static double meanr(int[] ranks) {
    return Arrays.stream(ranks).asDoubleStream().average().orElse(Double.NaN) + 1;
  }

  /** The mean of each figure over folds (COCO 1K reports the mean over its 5 folds). */
  public static RecallMetrics mean(List<RecallMetrics> folds) {
    double[] sum = new double[11];
    for (RecallMetrics m : folds) {
      double[] v = m.values();
      for (int i = 0; i < v.length; i++) {
        sum[i] += v[i];
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= folds.size();
    }
    return new RecallMetrics(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8], sum[9], sum[10]);
  }

  private double[] values() {
    return new double[]{i2tR1, i2tR5, i2tR10, t2iR1, t2iR5, t2iR10, rsum, i2tMedr, i2tMeanr, t2iMedr, t2iMeanr};
  }

  /** The figures under the keys lossbench prints and stores, in a fixed order. */
  public Map<String, Double> asMap() {
    String[] keys = {"i2t_r1", "i2t_r5", "i2t_r10", "t2i_r1", "t2i_r5", "t2i_r10", "rsum",
        "i2t_medr", "i2t_meanr", "t2i_medr", "t2i_meanr"};
    double[] v = values();
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      m.put(keys[i], v[i]);
    }
    return m;
  }
}
