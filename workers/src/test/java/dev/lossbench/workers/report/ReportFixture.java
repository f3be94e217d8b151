package dev.lossbench.workers.report;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.lossbench.schema.testing.TestDatabase;
import dev.lossbench.schema.testing.UnfencedWrites;
import java.util.List;
import java.util.Map;

/**
 * A finished benchmark shaped like {@code matrices/quick.yaml}, with two models: dataset "scenes",
 * four loss variants, seeds 1–3, eight epochs. Test rSums per seed (the R@1s are fixed shares of the
 * rSum: i2t 14 %, t2i 10.5 %):
 *
 * <pre>
 * vse-mean  unified            410 413 422   → 415.0 ± 6.2 (std √39), i2t R@1 58.1 ± 0.9, best seed 3
 *           unified:gamma=20   404 406 408   → 406.0 ± 2.0
 *           infonce:tau=0.05   400 401 (seed 3 failed, its error holds {@code <script>}) → 400.5 ± 0.7
 *           triplet-hn         390 392 394   → 392.0 ± 2.0, the baseline
 * vse-gpo   unified:gamma=20   430 432 434   → 432.0 ± 2.0
 *           unified            425 428 431   → 428.0 ± 3.0
 *           infonce:tau=0.05   420 421 422   → 421.0 ± 1.0
 *           triplet-hn         415 (seed 2 diverged, seed 3 cancelled) → 415.0, no std
 * </pre>
 *
 * Validation curves rise towards the final rSum, faster for the unified loss, with a little
 * per-seed noise; the failed, diverged and cancelled runs recorded a few epochs (near rSum 30–60)
 * that the curves must leave out. Times are fixed, so the report of this fixture is the same every time.
 */
final class ReportFixture {
  static final String BENCHMARK = "benchmark-quick-3f2a9c1d";
  static final String DATASET = "synthetic-5e1d0c7a";
  static final String DATASET_NAME = "scenes";
  static final String MEAN = "vse-mean:embed_dim=256,word_dim=128";
  static final String GPO = "vse-gpo:embed_dim=256,word_dim=128";
  static final String TRIPLET = "triplet-hn";
  static final String INFONCE = "infonce:tau=0.05";
  static final String UNIFIED = "unified";
  static final String UNIFIED_20 = "unified:gamma=20";
  /** Sorted, as the report orders them. */
  static final List<String> VARIANTS = List.of(INFONCE, TRIPLET, UNIFIED, UNIFIED_20);
  static final int EPOCHS = 8;
  static final String DESCRIPTION = "Synthetic scenes, Triplet-HN vs VLC vs the unified loss (γ sweep), 3 seeds.";

  static final String FAILED_RUN = runId(MEAN, INFONCE, 3);
  static final String FAILURE = "java.lang.IllegalStateException: worker lost during epoch 2"
      + " <script>alert(\"pwned\")</script> & 'quoted'\n"
      + "\tat dev.lossbench.retrieval.train.Trainer.fit(Trainer.java:212)";
  static final String DIVERGED_RUN = runId(GPO, TRIPLET, 2);
  static final String DIVERGENCE = "training loss became NaN at epoch 3, step 12";
  static final String CANCELLED_RUN = runId(GPO, TRIPLET, 3);

  /** Final test rSum per model, variant and seed 1..3; null where the run did not succeed. */
  private static final Map<String, Map<String, Double[]>> FINAL_RSUM = Map.of(
      MEAN, Map.of(
          UNIFIED, new Double[]{410.0, 413.0, 422.0},
          UNIFIED_20, new Double[]{404.0, 406.0, 408.0},
          INFONCE, new Double[]{400.0, 401.0, null},
          TRIPLET, new Double[]{390.0, 392.0, 394.0}),
      GPO, Map.of(
          UNIFIED_20, new Double[]{430.0, 432.0, 434.0},
          UNIFIED, new Double[]{425.0, 428.0, 431.0},
          INFONCE, new Double[]{420.0, 421.0, 422.0},
          TRIPLET, new Double[]{415.0, null, null}));

  /** How fast each loss converges (epochs to close most of the gap), and its loss scale. */
  private static final Map<String, double[]> CURVE = Map.of(
      UNIFIED, new double[]{1.4, 2.6, 0.45},
      UNIFIED_20, new double[]{1.8, 2.2, 0.40},
      INFONCE, new double[]{2.3, 4.85, 1.10},
      TRIPLET, new double[]{3.2, 0.60, 0.12});

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportFixture() {}

  static String runId(String model, String variant, long seed) {
    return "run-" + (model.equals(MEAN) ? "mean" : "gpo") + "-" + variant.replaceAll("[^a-z0-9]+", "-") + "-" + seed;
  }

  /** Records the whole benchmark, finished (failed, since runs failed). */
  static void record(MetricsStore store, TestDatabase database) {
    registerBenchmark(store, BENCHMARK);
    store.datasets().register(new DatasetDefinition(DATASET, "synthetic", null,
        JSON.createObjectNode().put("train_images", 1000).put("seed", 1), "test"));
    for (String model : List.of(MEAN, GPO)) {
      for (String variant : VARIANTS) {
        for (int seed = 1; seed <= 3; seed++) {
          recordRun(store, model, variant, seed, FINAL_RSUM.get(model).get(variant)[seed - 1]);
        }
      }
    }
    store.benchmarks().finish(BENCHMARK, BenchmarkStatus.FAILED);
    // fixed times: durations of a few minutes, different per run, and no "now" in the report
    database.execute(TestDatabase.DATABASE,
        "UPDATE benchmark SET created_at = timestamptz '2025-06-02 09:14:05+00',"
            + " finished_at = timestamptz '2025-06-02 10:21:41+00'",
        "UPDATE run SET finished_at = timestamptz '2025-06-02 09:15:00+00' + interval '1 minute' * (seed * 3"
            + " + length(variant) + length(model)),"
            + " started_at = timestamptz '2025-06-02 09:15:00+00' + interval '1 minute' * (seed * 3"
            + " + length(variant) + length(model)) - interval '1 second' * (150 + 17 * seed + 5 * length(variant))");
  }

  static void registerBenchmark(MetricsStore store, String id) {
    ObjectNode spec = JSON.createObjectNode()
        .put("format", "lossbench-matrix v1")
        .put("name", "quick")
        .put("description", DESCRIPTION);
    spec.putArray("datasets").addObject().put("name", DATASET_NAME).put("kind", "synthetic").put("id", DATASET);
    store.benchmarks().register(new BenchmarkDefinition(id, "quick", spec, "3f2a9c1d", TRIPLET));
  }

  private static void recordRun(MetricsStore store, String model, String variant, int seed, Double finalRsum) {
    String id = runId(model, variant, seed);
    String lossName = variant.contains(":") ? variant.substring(0, variant.indexOf(':')) : variant;
    store.runs().register(new RunDefinition(id, BENCHMARK, DATASET, model, lossName, null, variant, seed, null));
    store.runs().start(id, "worker-gpu-0");
    RunStatus status = id.equals(FAILED_RUN)
        ? RunStatus.FAILED
        : id.equals(DIVERGED_RUN)
            ? RunStatus.DIVERGED
            : id.equals(CANCELLED_RUN)
                ? RunStatus.CANCELLED
                : RunStatus.SUCCEEDED;
    if (status == RunStatus.FAILED) {
      store.runs().start(id, "worker-gpu-1"); // retried twice before it gave up
      store.runs().start(id, "worker-gpu-0");
    }
    store.runAttempts().recordDevice(id, status == RunStatus.FAILED ? "cuda:1 (NVIDIA H200)" : "cuda:0 (NVIDIA H200)",
        8_589_934_592L);
    int epochs = switch (status) {
      case FAILED -> 3;
      case DIVERGED -> 4;
      case CANCELLED -> 2;
      default -> EPOCHS;
    };
    // a run that did not succeed heads far below the others: the curves must not show it
    double target = finalRsum != null ? finalRsum : 60;
    double[] curve = CURVE.get(variant);
    int bestEpoch = 0;
    double best = Double.NEGATIVE_INFINITY;
    for (int e = 0; e < epochs; e++) {
      double noise = ((seed * 7 + e * 3) % 5 - 2) * 1.5;
      double rsum = target * (1 - 0.55 * Math.exp(-(e + 1) / curve[0])) + noise;
      double loss = status == RunStatus.DIVERGED && e == epochs - 1
          ? Double.NaN
          : curve[2] + (curve[1] - curve[2]) * Math.exp(-e / curve[0]) + 0.01 * seed;
      UnfencedWrites.upsert(store, new EpochMetric(id, e, loss, recalls(rsum), 5e-4, 31.5, 2400, 1.2));
      if (rsum > best) {
        best = rsum;
        bestEpoch = e;
      }
    }
    UnfencedWrites.recordCheckpoint(store, id, "/artifacts/checkpoints/" + id + "/epoch-" + (epochs - 1), bestEpoch);
    if (finalRsum != null) {
      UnfencedWrites.upsert(store, new Result(id, "test", recalls(finalRsum), 2, 6.5, 3, 9.25));
    }
    switch (status) {
      case FAILED -> store.runs().finish(id, status, FAILURE);
      case DIVERGED -> store.runs().finish(id, status, DIVERGENCE);
      case CANCELLED -> store.runs().finish(id, status, "benchmark cancelled by the user");
      default -> store.runs().finish(id, status, null);
    }
  }

  /** Six recalls summing to {@code rsum}: i2t R@1 14 %, t2i R@1 10.5 %, the rest rising with K. */
  static Recalls recalls(double rsum) {
    double rest = rsum * (1 - 0.14 - 0.105);
    return new Recalls(0.14 * rsum, 0.245 * rest, 0.265 * rest, 0.105 * rsum, 0.235 * rest, 0.255 * rest);
  }
}
