package dev.lossbench.schema.repository;

import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.schema.record.BenchmarkDefinition;
import dev.lossbench.schema.record.BenchmarkStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The {@code benchmark} table: one row per matrix submission. */
public final class BenchmarkRepository {
  private final Jdbi jdbi;

  public BenchmarkRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Stores the benchmark, or updates its name, spec and baseline when the id exists already (submitting the same
   * matrix again). The status of an existing benchmark is left alone; a new one starts as running. The names the
   * spec gives its datasets are stored with it ({@link #datasetNames}).
   */
  public Benchmark register(BenchmarkDefinition definition) {
    return jdbi.inTransaction(h -> {
      Benchmark benchmark = upsert(h, definition);
      h.createUpdate("DELETE FROM benchmark_dataset WHERE benchmark_id = :id").bind("id", definition.id()).execute();
      // the rule of V13's backfill: a dataset entry with a text id and a text name; the last wins for a repeated id
      h.createUpdate("""
          INSERT INTO benchmark_dataset (benchmark_id, dataset_id, name)
          SELECT DISTINCT ON (d.entry ->> 'id') b.id, d.entry ->> 'id', d.entry ->> 'name'
            FROM benchmark b,
                 jsonb_array_elements(CASE WHEN jsonb_typeof(b.spec -> 'datasets') = 'array'
                                           THEN b.spec -> 'datasets' ELSE '[]'::jsonb END)
                     WITH ORDINALITY AS d (entry, position)
           WHERE b.id = :id
             AND jsonb_typeof(d.entry -> 'id') = 'string' AND jsonb_typeof(d.entry -> 'name') = 'string'
           ORDER BY d.entry ->> 'id', d.position DESC""")
          .bind("id", definition.id())
          .execute();
      return benchmark;
    });
  }

  /**
   * The benchmark's datasets by id, each with the name its matrix gave it (e.g. {@code scenes}), ordered by id;
   * empty for an unknown benchmark or a spec that names none. Readers show the id where no name is stored.
   */
  public Map<String, String> datasetNames(String benchmarkId) {
    return jdbi.withHandle(h -> {
      Map<String, String> names = new LinkedHashMap<>();
      h.createQuery("SELECT dataset_id, name FROM benchmark_dataset WHERE benchmark_id = :id ORDER BY dataset_id")
          .bind("id", benchmarkId)
          .map((rs, ctx) -> Map.entry(rs.getString("dataset_id"), rs.getString("name")))
          .forEach(e -> names.put(e.getKey(), e.getValue()));
      return Collections.unmodifiableMap(names);
    });
  }

  private static Benchmark upsert(Handle h, BenchmarkDefinition definition) {
    return h.createQuery("""
        INSERT INTO benchmark (id, name, spec, spec_hash, baseline_loss)
        VALUES (:id, :name, CAST(:spec AS jsonb), :specHash, :baselineLoss)
        ON CONFLICT (id) DO UPDATE
           SET name = excluded.name,
               spec = excluded.spec,
               spec_hash = excluded.spec_hash,
               baseline_loss = excluded.baseline_loss
        RETURNING\s""" + Rows.BENCHMARK_COLUMNS)
        .bind("id", definition.id())
        .bind("name", definition.name())
        .bind("spec", Jsonb.write(definition.spec()))
        .bind("specHash", definition.specHash())
        .bind("baselineLoss", definition.baselineLoss())
        .map(Rows::benchmark)
        .one();
  }

  /** Marks the benchmark running again (resume): clears {@code finished_at}. */
  public Benchmark markRunning(String id) {
    return setStatus(id, BenchmarkStatus.RUNNING);
  }

  /** Marks the benchmark finished with {@code status} (succeeded, failed or cancelled), now. */
  public Benchmark finish(String id, BenchmarkStatus status) {
    if (status == BenchmarkStatus.RUNNING) {
      throw new IllegalArgumentException("finish needs a final status, got running; use markRunning");
    }
    return setStatus(id, status);
  }

  private Benchmark setStatus(String id, BenchmarkStatus status) {
    return jdbi.withHandle(h -> h.createQuery("""
        UPDATE benchmark
           SET status = :status,
               finished_at = CASE WHEN :finishes THEN now() END
         WHERE id = :id
        RETURNING\s""" + Rows.BENCHMARK_COLUMNS)
        .bind("id", id)
        .bind("status", status.sqlName())
        .bind("finishes", status != BenchmarkStatus.RUNNING)
        .map(Rows::benchmark)
        .findOne()
        .orElseThrow(() -> new NotFoundException("benchmark", id)));
  }

  public Optional<Benchmark> find(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.BENCHMARK_COLUMNS + " FROM benchmark WHERE id = :id")
        .bind("id", id)
        .map(Rows::benchmark)
        .findOne());
  }

  /** The most recently created benchmark with this name (a name is reused when a matrix changes). */
  public Optional<Benchmark> findLatestByName(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.BENCHMARK_COLUMNS
        + " FROM benchmark WHERE name = :name ORDER BY created_at DESC, id LIMIT 1")
        .bind("name", name)
        .map(Rows::benchmark)
        .findOne());
  }

  /** All benchmarks, newest first. */
  public List<Benchmark> list() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT " + Rows.BENCHMARK_COLUMNS + " FROM benchmark ORDER BY created_at DESC, id")
            .map(Rows::benchmark)
            .list());
  }
}
