package dev.lossbench.workers.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.BenchmarkDefinition;
import dev.lossbench.schema.record.BenchmarkStatus;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Recalls;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.record.RunDefinition;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.UnfencedWrites;
import java.util.List;

/**
 * A finished benchmark shaped like {@code matrices/paper-claims.yaml}, with hand-chosen numbers: a
 * pretraining stage {@code source} (600 images, two runs the study must leave out) and two fine-tuning
 * stages {@code target-150} and {@code target-300}; model {@link #MODEL}; variants triplet-hn,
 * infonce:tau=0.05, unified:gamma=20, unified:gamma=50; seeds 1–3; four epochs; seconds per epoch
 * 10 (triplet-hn), 11 (infonce), 12 (unified).
 *
 * <pre>
 * validation rSum by epoch 1..4                     test rSum
 * target-150 triplet-hn   s1 100 150 181 200   s2  90 140 170 190   s3 110 160 200 205   300 310 320
 *            infonce      s1 150 185 200 205   s2 140 180 198 204   s3 155 190 202 206   330 335 340
 *            unified:γ20  s1 170 200 210 215   s2 180 205 212 214   s3 160 190 208 210   346 350 353
 *            unified:γ50  s1 120 170 190 195   s2 130 165 185 190   s3 125 175 188 192   325 330 338
 * target-300 triplet-hn   s1 150 200 230 240   s2 160 210 225 235   s3 140 190 220 238   360 362 364
 *            infonce      s1 150 200 225 235   s2 155 205 228 236   s3 FAILED (40 50)     370 375 –
 *            unified:γ20  s1 155 205 232 241   s2 150 215 228 236   s3 150 185 222 240   372 371 385
 *            unified:γ50  s1 140 190 215 225   s2 145 195 220 228   s3 138 185 212 226   365 368 371
 * </pre>
 */
public final class StudyFixture {
  public static final String BENCHMARK = "benchmark-paper-claims-0123456789abcdef0123";
  public static final String NAME = "paper-claims";
  public static final String MODEL = "vse-mean:embed_dim=64,word_dim=32";
  static final String SOURCE = "synthetic-source00000000000000";
  static final String T150 = "synthetic-t15000000000000000000";
  static final String T300 = "synthetic-t30000000000000000000";
  public static final String TRIPLET = "triplet-hn";
  public static final String INFONCE = "infonce:tau=0.05";
  public static final String U20 = "unified:gamma=20";
  public static final String U50 = "unified:gamma=50";

  private static final ObjectMapper JSON = new ObjectMapper();

  private StudyFixture() {}

  public static void record(MetricsStore store) {
    ObjectNode spec = JSON.createObjectNode().put("format", "lossbench-matrix v1").put("name", NAME);
    ArrayNode datasets = spec.putArray("datasets");
    dataset(datasets, "source", SOURCE, 600, null);
    dataset(datasets, "target-150", T150, 150, "source");
    dataset(datasets, "target-300", T300, 300, "source");
    store.benchmarks().register(new BenchmarkDefinition(BENCHMARK, NAME, spec, "0123456789abcdef0123", TRIPLET));
    for (String id : List.of(SOURCE, T150, T300)) {
      store.datasets()
          .register(new DatasetDefinition(id, "synthetic", null, JSON.createObjectNode().put("seed", 1), "test"));
    }
    // the pretraining stage: left out of the study by default, so its numbers must not show anywhere
    run(store, SOURCE, TRIPLET, 1, new double[]{10, 20, 30, 40}, 380.0);
    run(store, SOURCE, U20, 1, new double[]{50, 60, 70, 80}, 390.0);

    run(store, T150, TRIPLET, 1, new double[]{100, 150, 181, 200}, 300.0);
    run(store, T150, TRIPLET, 2, new double[]{90, 140, 170, 190}, 310.0);
    run(store, T150, TRIPLET, 3, new double[]{110, 160, 200, 205}, 320.0);
    run(store, T150, INFONCE, 1, new double[]{150, 185, 200, 205}, 330.0);
    run(store, T150, INFONCE, 2, new double[]{140, 180, 198, 204}, 335.0);
    run(store, T150, INFONCE, 3, new double[]{155, 190, 202, 206}, 340.0);
    run(store, T150, U20, 1, new double[]{170, 200, 210, 215}, 346.0);
    run(store, T150, U20, 2, new double[]{180, 205, 212, 214}, 350.0);
    run(store, T150, U20, 3, new double[]{160, 190, 208, 210}, 353.0);
    run(store, T150, U50, 1, new double[]{120, 170, 190, 195}, 325.0);
    run(store, T150, U50, 2, new double[]{130, 165, 185, 190}, 330.0);
    run(store, T150, U50, 3, new double[]{125, 175, 188, 192}, 338.0);

    run(store, T300, TRIPLET, 1, new double[]{150, 200, 230, 240}, 360.0);
    run(store, T300, TRIPLET, 2, new double[]{160, 210, 225, 235}, 362.0);
    run(store, T300, TRIPLET, 3, new double[]{140, 190, 220, 238}, 364.0);
    run(store, T300, INFONCE, 1, new double[]{150, 200, 225, 235}, 370.0);
    run(store, T300, INFONCE, 2, new double[]{155, 205, 228, 236}, 375.0);
    run(store, T300, INFONCE, 3, new double[]{40, 50}, null); // failed: left out, seed 3 unpaired
    run(store, T300, U20, 1, new double[]{155, 205, 232, 241}, 372.0);
    run(store, T300, U20, 2, new double[]{150, 215, 228, 236}, 371.0);
    run(store, T300, U20, 3, new double[]{150, 185, 222, 240}, 385.0);
    run(store, T300, U50, 1, new double[]{140, 190, 215, 225}, 365.0);
    run(store, T300, U50, 2, new double[]{145, 195, 220, 228}, 368.0);
    run(store, T300, U50, 3, new double[]{138, 185, 212, 226}, 371.0);
    store.benchmarks().finish(BENCHMARK, BenchmarkStatus.FAILED);
  }

  private static void dataset(ArrayNode datasets, String name, String id, int trainImages, String from) {
    ObjectNode d = datasets.addObject().put("name", name).put("kind", "synthetic").put("id", id);
    d.putObject("synthetic").put("train_images", trainImages).put("seed", 1);
    if (from != null) {
      d.putObject("init").put("from", from).put("loss", INFONCE);
    }
  }

  static double secondsPerEpoch(String variant) {
    return variant.startsWith("triplet") ? 10 : variant.startsWith("infonce") ? 11 : 12;
  }

  /** Records a run; {@code test == null} marks it failed. */
  private static void run(MetricsStore store, String dataset, String variant, int seed, double[] validation,
      Double test) {
    String id = "run-" + dataset.substring(10, 14) + "-" + variant.replaceAll("[^a-z0-9]+", "-") + "-" + seed;
    String lossName = variant.contains(":") ? variant.substring(0, variant.indexOf(':')) : variant;
    store.runs().register(new RunDefinition(id, BENCHMARK, dataset, MODEL, lossName, null, variant, seed, null));
    store.runs().start(id, "worker-0");
    for (int e = 0; e < validation.length; e++) {
      UnfencedWrites.upsert(store, new EpochMetric(id, e, 1.0 / (e + 1), recalls(validation[e]), 1e-3,
          secondsPerEpoch(variant), 1000, null));
    }
    if (test == null) {
      store.runs().finish(id, RunStatus.FAILED, "worker lost");
      return;
    }
    UnfencedWrites.upsert(store, new Result(id, "test", recalls(test), 2, 5, 3, 6));
    store.runs().finish(id, RunStatus.SUCCEEDED, null);
  }

  /** Six recalls summing to {@code rsum}: eighths of a whole number are exact in binary, so they add back exactly. */
  public static Recalls recalls(double rsum) {
    double q = rsum / 8;
    return new Recalls(q, q, 2 * q, q, q, 2 * q);
  }
}
