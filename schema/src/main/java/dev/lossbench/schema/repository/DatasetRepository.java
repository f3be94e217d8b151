package dev.lossbench.schema.repository;

import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.Dataset;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.schema.record.Require;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/** The {@code dataset} table. */
public final class DatasetRepository {
  // SET expressions see the row as it was, so this compares the stored source with the new one
  private static final String SAME_SOURCE = "(dataset.kind, dataset.path, dataset.generator_params)"
      + " IS NOT DISTINCT FROM (excluded.kind, excluded.path, excluded.generator_params)";

  private final Jdbi jdbi;

  public DatasetRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Stores the dataset or updates its definition. What preparing it found (content hash, split sizes) is kept
   * while the source (kind, path, generator parameters) stays the same, and forgotten when it changes.
   */
  public Dataset register(DatasetDefinition definition) {
    return jdbi.withHandle(h -> h.createQuery("""
        INSERT INTO dataset (id, kind, path, generator_params, primary_split)
        VALUES (:id, :kind, :path, CAST(:generatorParams AS jsonb), :primarySplit)
        ON CONFLICT (id) DO UPDATE
           SET kind = excluded.kind,
               path = excluded.path,
               generator_params = excluded.generator_params,
               primary_split = excluded.primary_split,
               content_hash = CASE WHEN %1$s THEN dataset.content_hash END,
               split_sizes = CASE WHEN %1$s THEN dataset.split_sizes ELSE '{}' END,
               prepared_at = CASE WHEN %1$s THEN dataset.prepared_at END
        RETURNING %2$s""".formatted(SAME_SOURCE, Rows.DATASET_COLUMNS))
        .bind("id", definition.id())
        .bind("kind", definition.kind())
        .bind("path", definition.path())
        .bind("generatorParams", Jsonb.write(definition.generatorParams()))
        .bind("primarySplit", definition.primarySplit())
        .map(Rows::dataset)
        .one());
  }

  /** Records what preparing the dataset found. */
  public Dataset recordPrepared(String id, String contentHash, Map<String, Long> splitSizes) {
    Require.text(contentHash, "content hash");
    return jdbi.withHandle(h -> h.createQuery("""
        UPDATE dataset
           SET content_hash = :contentHash,
               split_sizes = CAST(:splitSizes AS jsonb),
               prepared_at = now()
         WHERE id = :id
        RETURNING\s""" + Rows.DATASET_COLUMNS)
        .bind("id", id)
        .bind("contentHash", contentHash)
        .bind("splitSizes", Jsonb.write(Map.copyOf(splitSizes)))
        .map(Rows::dataset)
        .findOne()
        .orElseThrow(() -> new NotFoundException("dataset", id)));
  }

  /** The datasets the benchmark's runs use, by id, in one query. */
  public Map<String, Dataset> forBenchmark(String benchmarkId) {
    Map<String, Dataset> byId = new TreeMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT " + Rows.DATASET_COLUMNS + " FROM dataset"
        + " WHERE id IN (SELECT dataset_id FROM benchmark_run WHERE benchmark_id = :benchmarkId)")
        .bind("benchmarkId", benchmarkId)
        .map(Rows::dataset)
        .forEach(d -> byId.put(d.id(), d)));
    return byId;
  }

  public Optional<Dataset> find(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.DATASET_COLUMNS + " FROM dataset WHERE id = :id")
        .bind("id", id)
        .map(Rows::dataset)
        .findOne());
  }
}
