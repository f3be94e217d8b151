package dev.lossbench.schema.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Fills a migrated store with synthetic benchmarks straight in SQL ({@code generate_series}), for tests and
 * benches of the store at scale: {@code benchmarks} benchmarks named {@code scale-1}…, each of
 * {@code runsPerBenchmark} succeeded runs on one dataset (two models × 25 variants × seeds), each run with
 * {@code epochs} epoch rows and a {@code test} result. 5 × 5,000 runs × 40 epochs is 25,000 runs and 1,000,000
 * epoch rows.
 */
public final class StoreAtScale {
  public static final int MODELS = 2;
  public static final int VARIANTS = 25;

  private StoreAtScale() {}

  /** Adds the benchmarks (ids {@code scale-<prefix>-1}…) and runs, then updates the planner's statistics. */
  public static void generate(DataSource dataSource, String prefix, int benchmarks, int runsPerBenchmark, int epochs)
      throws SQLException {
    String b = "'" + prefix + "-' || b";
    String run = "'run-" + prefix + "-' || b || '-' || i";
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO dataset (id, kind, generator_params) VALUES ('scale-scenes', 'synthetic', '{}')"
          + " ON CONFLICT (id) DO NOTHING");
      st.execute("INSERT INTO benchmark (id, name, spec, spec_hash, status)"
          + " SELECT " + b + ", " + b + ", '{}', md5(" + b + "), 'succeeded'"
          + " FROM generate_series(1, " + benchmarks + ") b");
      // i = model + MODELS * variant + MODELS * VARIANTS * seed: one run per cell
      st.execute("INSERT INTO run (id, benchmark_id, dataset_id, model, loss_name, variant, seed, training_config,"
          + " status, attempts, worker, started_at, finished_at)"
          + " SELECT " + run + ", " + b + ", 'scale-scenes', 'model-' || (i % " + MODELS + "),"
          + " 'loss-' || ((i / " + MODELS + ") % " + VARIANTS + "), 'loss-' || ((i / " + MODELS + ") % "
          + VARIANTS + ") || ':p=1', i / " + (MODELS * VARIANTS) + ", '{\"epochs\": " + epochs + "}',"
          + " 'succeeded', 1, 'scale-worker', now() - interval '1 hour', now()"
          + " FROM generate_series(1, " + benchmarks + ") b, generate_series(0, " + (runsPerBenchmark - 1) + ") i");
      // every view reads a benchmark's runs through benchmark_run (V9)
      st.execute("INSERT INTO benchmark_run (benchmark_id, run_id, dataset_id, model, variant, seed)"
          + " SELECT benchmark_id, id, dataset_id, model, variant, seed FROM run WHERE id LIKE 'run-" + prefix + "-%'");
      st.execute("INSERT INTO epoch_metric (run_id, epoch, train_loss, val_i2t_r1, val_i2t_r5, val_i2t_r10,"
          + " val_t2i_r1, val_t2i_r5, val_t2i_r10, lr, seconds, samples_per_s)"
          + " SELECT r.id, e, 2.0 / (e + 1), 10 + e, 20 + e, 30 + e, 11 + e, 21 + e, 31 + e, 1e-3, 1.5, 100"
          + " FROM run r, generate_series(0, " + (epochs - 1) + ") e WHERE r.id LIKE 'run-" + prefix + "-%'");
      st.execute("INSERT INTO result (run_id, split, i2t_r1, i2t_r5, i2t_r10, t2i_r1, t2i_r5, t2i_r10,"
          + " i2t_medr, i2t_meanr, t2i_medr, t2i_meanr)"
          + " SELECT r.id, 'test', 40 + r.seed % 7, 70, 80, 41, 71, 81, 2, 5.5, 2, 6"
          + " FROM run r WHERE r.id LIKE 'run-" + prefix + "-%'");
      st.execute("ANALYZE");
    }
  }
}
