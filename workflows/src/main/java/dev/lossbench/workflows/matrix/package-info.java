/**
 * The matrix file: YAML read by {@link dev.lossbench.workflows.matrix.MatrixParser}, validated once
 * into an immutable {@link dev.lossbench.workflows.matrix.BenchmarkSpec}, expanded into
 * {@link dev.lossbench.workflows.matrix.Cell}s with stable ids. The full reference, with every key
 * and default, is {@code matrices/README.md}. In short:
 *
 * <pre>{@code
 * name: quick                     # required, [a-z0-9][a-z0-9._-]*, at most 63 characters
 * description: free text          # optional
 * baseline: triplet-hn            # a variant label, any spelling of a variant, or a loss name with one
 *                                 #   variant; default triplet-hn if it names one variant, else the first loss
 * max_parallel_runs: 1            # runs in flight, default 1
 * datasets:                       # required, non-empty; name unique; the first protocol ranks the leaderboard
 *   - {name: scenes, kind: synthetic, params: {train_images: 1000, noise: 1.0}}   # SyntheticConfig knobs
 *   - {name: f30k, kind: precomp, path: ${F30K}, captions_per_image: 5, protocols: [test]}
 *   - {name: coco, kind: precomp, path: data/coco, protocols: [coco1k, coco5k]}    # relative to the file
 *   - {name: msrvtt, kind: msrvtt, path: ${MSRVTT}, max_frames: 12, protocols: [msrvtt1ka]}
 *   - {name: shifted, kind: synthetic, params: {domain: 1},  # a fine-tuning stage: each cell starts from the
 *      init: {from: scenes, loss: infonce, freeze: [text.embedding]}}  # best checkpoint of the same model and
 *                                 #   seed on `scenes` with that loss (without loss: its own); see StageInit
 * models:                         # required, non-empty
 *   - vse-mean:embed_dim=256
 *   - {name: vse-gpo, embed_dim: [512, 1024]}     # any map value may be a list: a sweep
 * losses:                         # required, non-empty
 *   - triplet-hn:warmup_epochs=1
 *   - {name: unified, gamma: [20, 50], margin: [0, 0.2]}
 * seeds: 3                        # or [1, 7, 42]; default [1]; or {min: 3, max: 10, step: 1}: sequential seeds
 * training: {epochs: 4, lr: 5e-4} # TrainingConfig keys; no lists: settings are shared by every cell
 * adaptive:                       # optional: successive halving over each dataset × model group (AdaptivePlan)
 *   early_stopping: {rule: successive-halving, metric: validation_rsum, grace_epochs: 1, reduction_factor: 3}
 * }</pre>
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>The YAML is <em>composed</em> into nodes, not bound to classes, so that every value keeps
 *       its line and column. Keys and values are checked one at a time by the vocabulary classes of
 *       {@code retrieval} ({@code LossSpec}, {@code ModelSpec}, {@code TrainingConfig},
 *       {@code SyntheticConfig}, through {@code Params}), so the messages and ranges live in one place.
 *       All problems are collected and thrown together as a
 *       {@link dev.lossbench.workflows.matrix.MatrixException}, one
 *       {@code file:line:column: field: what is wrong, what was expected} line each.</li>
 *   <li>Sweeps expand in alphabetical key order, with the last key fastest and values in list
 *       order, so the cell order depends only on the content. Training settings do not sweep: the
 *       store tells the runs of a benchmark apart by dataset, model, loss variant and seed.</li>
 *   <li>Datasets, cells and the spec are plain records (strings, numbers, enums,
 *       {@code SyntheticConfig}), so Temporal's Jackson converter passes them as arguments
 *       unchanged. Specs are carried as canonical strings and re-parsed on demand. Nothing here does
 *       I/O after parsing, so workflow code may call {@code cells()}, {@code id()} and
 *       {@code specHash()}.</li>
 *   <li>A cell id hashes what decides the result: the dataset identity and protocols, and the
 *       canonical model, loss and training, plus the seed. Names, labels, order and spelling are
 *       not part of it. The spec hash covers the name and the set of cell ids, but not the
 *       description, the baseline or the parallelism. The store updates those when a matrix is
 *       submitted again. A {@code study:} block (the pre-registered analysis, {@code AnalysisPlan}) is
 *       part of the hash when present; a matrix without one hashes as before the block existed.</li>
 *   <li>Dataset paths are checked for the files their protocols need when the matrix is read, so a
 *       missing file fails the submission and not a run hours later. Contents are checked when the
 *       data is prepared.</li>
 * </ul>
 */
package dev.lossbench.workflows.matrix;
