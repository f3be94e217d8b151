package dev.lossbench.schema.repository;

import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.schema.record.BenchmarkDefinition;
import dev.lossbench.schema.record.BenchmarkStatus;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The {@code benchmark} table: one row per matrix submission. */
public final class BenchmarkRepository {
    private final Jdbi jdbi;

    public BenchmarkRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores the benchmark, or updates its name, spec and baseline when the id exists already (submitting the same
     * matrix again). The status of an existing benchmark is left alone; a new one starts as running.
     */
    public Benchmark register(BenchmarkDefinition definition) {
        return jdbi.withHandle(h -> h.createQuery("""
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
                .one());
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
        return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.BENCHMARK_COLUMNS + " FROM benchmark ORDER BY created_at DESC, id")
                .map(Rows::benchmark)
                .list());
    }
}
