package dev.lossbench.deploy.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.AttemptClaim;
import dev.lossbench.schema.record.BenchmarkDefinition;
import dev.lossbench.schema.record.ComparisonRow;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Recalls;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.record.RunDefinition;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.UnfencedWrites;
import java.util.List;

/**
 * A benchmark in every state a dashboard shows: on two datasets (one ranked by its coco1k split, with coco5k
 * too), three loss variants with three succeeded seeds each and learning curves, plus a running, a failed, a
 * diverged and a pending run, and a variant successive halving stopped at rung 2 (two seeds, validation rSum 230
 * and 240 there). The rankings differ between the datasets. A second benchmark shares the store, so
 * a panel that forgets to filter by the selected benchmark shows rows it should not.
 */
final class FixtureBenchmark {
  static final String ID = "quick-5e1f0c";
  static final String OTHER_ID = "other-77aa01";
  static final String SYNTHETIC = "synthetic-s7";
  static final String COCO = "coco-precomp";
  static final String MODEL = "vse-gru";
  static final List<String> VARIANTS = List.of("triplet-hn", "infonce:tau=0.05", "unified:gamma=50,margin=0.1");
  static final int EPOCHS = 3;
  static final String STOPPED_VARIANT = "unified:gamma=5,margin=0.1";
  static final int RUNG = 2;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final MetricsStore store;

  private FixtureBenchmark(MetricsStore store) {
    this.store = store;
  }

  static void writeTo(MetricsStore store) {
    new FixtureBenchmark(store).write();
  }

  private void write() {
    store.benchmarks().register(new BenchmarkDefinition(ID, "quick", json("{\"seeds\": [1, 2, 3]}"), "h-" + ID, null));
    store.benchmarks().register(new BenchmarkDefinition(OTHER_ID, "other", json("{}"), "h-" + OTHER_ID, null));
    store.datasets().register(new DatasetDefinition(SYNTHETIC, "synthetic", null, json("{\"images\": 200}"), null));
    store.datasets().register(new DatasetDefinition(COCO, "precomp", "/artifacts/coco", null, "coco1k"));

    // mean rSum per dataset and variant: unified leads on synthetic, infonce on coco
    double[] synthetic = {300, 320, 340};
    double[] coco = {400, 450, 430};
    for (int v = 0; v < VARIANTS.size(); v++) {
      for (int seed = 1; seed <= 3; seed++) {
        double spread = (seed - 2) * 4.0;
        succeeded(ID, SYNTHETIC, VARIANTS.get(v), seed, "test", synthetic[v] + spread);
        String cocoRun = succeeded(ID, COCO, VARIANTS.get(v), seed, "coco1k", coco[v] + spread);
        UnfencedWrites.upsert(store, result(cocoRun, "coco5k", coco[v] - 150 + spread));
      }
    }
    // a variant of the other benchmark that would top this leaderboard if a panel mixed benchmarks
    succeeded(OTHER_ID, SYNTHETIC, "circle", 1, "test", 550);

    String running = register(ID, SYNTHETIC, VARIANTS.get(2), 4);
    store.runs().start(running, "gpu-worker-7d9f");
    store.runAttempts().recordDevice(running, "cuda:0 (NVIDIA H200)", 1_000_000_000L);
    store.runAttempts().recordDeviceMemory(running, 21_474_836_480L);
    UnfencedWrites.upsert(store, epoch(running, 0, 2.1, 250));
    UnfencedWrites.upsert(store, epoch(running, 1, 1.7, 290));
    // compute accounting: the running run's attempt trained those two epochs, 30 s each
    AttemptClaim claim = new AttemptClaim("fixture-execution", 1);
    store.attempts().begin(running, ID, claim, "gpu-worker-7d9f", "cuda:0 (NVIDIA H200)");
    store.attempts().recordEpoch(running, claim, 30);
    store.attempts().recordEpoch(running, claim, 30);

    String failed = register(ID, SYNTHETIC, VARIANTS.get(1), 4);
    store.runs().start(failed, "gpu-worker-1a2b");
    store.runAttempts().recordDevice(failed, "cuda:1", null);
    UnfencedWrites.upsert(store, epoch(failed, 0, 2.3, 240));
    store.runs().finish(failed, RunStatus.FAILED, "CUDA out of memory: tried to allocate 2.00 GiB (batch 128)");

    String diverged = register(ID, SYNTHETIC, "unified:gamma=500,margin=0.1", 1);
    store.runs().start(diverged, "gpu-worker-1a2b");
    UnfencedWrites.upsert(store, epoch(diverged, 0, Double.NaN, null));
    store.runs().finish(diverged, RunStatus.DIVERGED, "train loss is NaN at epoch 0, step 12");

    register(ID, COCO, VARIANTS.get(0), 4);

    // an adaptive benchmark's loser: two seeds trained to the rung (2 epochs, 30 s each), then stopped
    stopped(STOPPED_VARIANT, 1, 230);
    stopped(STOPPED_VARIANT, 2, 240);

    // the comparison engine's rows (workers/compare writes them; here by hand, as the view reads them): each
    // variant against triplet-hn on the primary split, three paired seeds (so undecided, the interval unbounded)
    List<ComparisonRow> comparisons = new java.util.ArrayList<>();
    for (int v = 1; v < VARIANTS.size(); v++) {
      comparisons.add(comparison(SYNTHETIC, "test", VARIANTS.get(v), synthetic[0], synthetic[v]));
      comparisons.add(comparison(COCO, "coco1k", VARIANTS.get(v), coco[0], coco[v]));
    }
    store.comparisons().replace(ID, comparisons);
  }

  private static ComparisonRow comparison(String dataset, String split, String variant, double baseline, double mean) {
    return new ComparisonRow(ID, dataset, MODEL, split, false, "rsum", variant, VARIANTS.get(0), null, "continuous",
        true, 3, baseline, mean, mean - baseline, null, null, 1.0, 0.439, 1.0, 0.25, 0.001, 0.5, 0.9, 1.0,
        baseline * 0.01, 0.05, "undecided", "sign-flip exact", null);
  }

  private String succeeded(String benchmark, String dataset, String variant, int seed, String split, double rsum) {
    String run = register(benchmark, dataset, variant, seed);
    store.runs().start(run, "gpu-worker-" + seed);
    for (int e = 0; e < EPOCHS; e++) {
      UnfencedWrites.upsert(store, epoch(run, e, 2.0 - 0.4 * e, rsum * (0.8 + 0.1 * e)));
    }
    UnfencedWrites.upsert(store, result(run, split, rsum));
    store.runs().finish(run, RunStatus.SUCCEEDED, null);
    return run;
  }

  /** A run stopped at {@link #RUNG} with {@code rungRsum} its validation rSum there, as V11 records it. */
  private void stopped(String variant, int seed, double rungRsum) {
    String run = register(ID, SYNTHETIC, variant, seed);
    store.runs().start(run, "gpu-worker-" + seed);
    AttemptClaim claim = new AttemptClaim("fixture-stopped-" + seed, 1);
    store.attempts().begin(run, ID, claim, "gpu-worker-" + seed, "cuda:0 (NVIDIA H200)");
    for (int e = 0; e < RUNG; e++) {
      UnfencedWrites.upsert(store, epoch(run, e, 2.0 - 0.3 * e, rungRsum - 30 * (RUNG - 1 - e)));
      store.attempts().recordEpoch(run, claim, 30);
    }
    store.runs().finish(run, RunStatus.STOPPED, null);
    try (java.sql.Connection c = store.database().dataSource().getConnection();
        java.sql.PreparedStatement st = c.prepareStatement("UPDATE run SET stopped_epoch = ? WHERE id = ?")) {
      st.setInt(1, RUNG);
      st.setString(2, run);
      st.executeUpdate();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private String register(String benchmark, String dataset, String variant, int seed) {
    String id = benchmark + "/" + dataset + "/" + variant + "/" + seed;
    String loss = variant.contains(":") ? variant.substring(0, variant.indexOf(':')) : variant;
    ObjectNode training = MAPPER.createObjectNode().put("epochs", EPOCHS).put("batch_size", 128);
    store.runs().register(new RunDefinition(id, benchmark, dataset, MODEL, loss, null, variant, seed, training));
    return id;
  }

  /** Six recalls summing to {@code rsum} (at most 560 here), the two R@1 a little below the others. */
  private static Recalls recalls(double rsum) {
    double r1 = rsum / 6 - 5;
    double rest = (rsum - 2 * r1) / 4;
    return new Recalls(r1, rest, rest, r1, rest, rest);
  }

  private static Result result(String run, String split, double rsum) {
    return new Result(run, split, recalls(rsum), 2, 6.5, 3, 9.25);
  }

  private static EpochMetric epoch(String run, int epoch, double trainLoss, Number validationRsum) {
    Recalls validation = validationRsum == null ? null : recalls(validationRsum.doubleValue());
    return new EpochMetric(run, epoch, trainLoss, validation, 2e-4, 30.0, 900, 1.2);
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
