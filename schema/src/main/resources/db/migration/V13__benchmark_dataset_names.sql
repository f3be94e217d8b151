-- The name the matrix gave each of a benchmark's datasets (dataset id -> e.g. 'scenes'), stored once as rows: the
-- leaderboard, the report and the study read them here instead of each re-deriving them from the stored spec.
-- Written when the benchmark is registered (BenchmarkRepository.register, from the spec it stores, by the same rule
-- as below: a dataset entry with a text id and a text name; the last entry wins for a repeated id).
CREATE TABLE benchmark_dataset (
    benchmark_id text NOT NULL CONSTRAINT benchmark_dataset_benchmark_fk REFERENCES benchmark (id),
    dataset_id   text NOT NULL,
    name         text NOT NULL,
    PRIMARY KEY (benchmark_id, dataset_id)
);

-- Benchmarks of earlier releases keep their names: from the datasets their stored spec lists (none where it lists
-- none, e.g. a spec without datasets: readers then show the dataset id, as before).
INSERT INTO benchmark_dataset (benchmark_id, dataset_id, name)
SELECT DISTINCT ON (b.id, d.entry ->> 'id') b.id, d.entry ->> 'id', d.entry ->> 'name'
  FROM benchmark b,
       jsonb_array_elements(CASE WHEN jsonb_typeof(b.spec -> 'datasets') = 'array' THEN b.spec -> 'datasets'
                                 ELSE '[]'::jsonb END) WITH ORDINALITY AS d (entry, position)
 WHERE jsonb_typeof(d.entry -> 'id') = 'string' AND jsonb_typeof(d.entry -> 'name') = 'string'
 ORDER BY b.id, d.entry ->> 'id', d.position DESC;
