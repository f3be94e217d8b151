package dev.lossbench.schema.repository;

import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.failure.RunDefinitionConflictException;
import dev.lossbench.schema.failure.RunTransitionRefusedException;
import dev.lossbench.schema.record.Require;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunDefinition;
import dev.lossbench.schema.record.RunEventKind;
import dev.lossbench.schema.record.RunStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code run} table and its status changes. Every status change is one conditional UPDATE that also appends
 * the matching {@code run_event}, so that two workers racing on one run cannot both win, and no change goes
 * unlogged.
 */
public final class RunRepository {
  /*
   * Registers a run and links it to the registering benchmark (benchmark_run); an existing id with the same
   * definition is returned unchanged (DO UPDATE with a no-op SET, so that RETURNING yields it) and linked, one with
   * another definition returns no row. A run belongs to every benchmark that contains its cell: run.benchmark_id
   * is the one that registered it first, and is not part of the definition compared. The first registration is
   * logged; a link to a run that had already succeeded is marked from_before. validation_is_test is not part of
   * the definition compared either: a re-registration may set it, never clear it; nor is cell_id, which is kept
   * once known.
   */
  private static final String REGISTER = """
      WITH registered AS (
          INSERT INTO run (id, benchmark_id, dataset_id, model, loss_name, loss_params, variant, seed, training_config,
                           validation_is_test, cell_id)
          VALUES (:id, :benchmarkId, :datasetId, :model, :lossName, CAST(:lossParams AS jsonb), :variant, :seed,
                  CAST(:trainingConfig AS jsonb), :validationIsTest, :cellId)
          ON CONFLICT (id) DO UPDATE SET validation_is_test = run.validation_is_test OR excluded.validation_is_test,
                                         cell_id = coalesce(run.cell_id, excluded.cell_id)
           WHERE (run.dataset_id, run.model, run.loss_name, run.loss_params, run.variant,
                  run.seed, run.training_config)
               = (excluded.dataset_id, excluded.model, excluded.loss_name,
                  excluded.loss_params, excluded.variant, excluded.seed, excluded.training_config)
          RETURNING *, (xmax = 0) AS inserted
      ), logged AS (
          INSERT INTO run_event (run_id, kind, to_status, attempt)
          SELECT id, :registered, status, attempts FROM registered WHERE inserted
      ), linked AS (
          INSERT INTO benchmark_run (benchmark_id, run_id, dataset_id, model, variant, seed, from_before)
          SELECT :benchmarkId, id, dataset_id, model, variant, seed, status = :succeeded FROM registered
          ON CONFLICT (benchmark_id, run_id) DO NOTHING
      )
      SELECT %s FROM registered
      """.formatted(Rows.RUN_COLUMNS);

  /*
   * One status change, atomically: lock the row, apply the change only if run_transition_kind allows it, log it.
   * Returns one row whenever the run exists: prior_status, and the changed row's columns (all NULL if refused).
   * What the target status implies (starts an attempt, ...) is decided in Java from RunStatus and bound.
   */
  private static final String TRANSITION = """
      WITH prior AS (
          SELECT id, status FROM run WHERE id = :id FOR UPDATE
      ), changed AS (
          UPDATE run r
             SET status      = :to,
                 attempts    = r.attempts + CASE WHEN :starts THEN 1 ELSE 0 END,
                 worker      = CASE WHEN :starts THEN :worker ELSE coalesce(:worker, r.worker) END,
                 -- the run's first start: a retry's start is its training_attempt row's
                 started_at  = CASE WHEN :starts THEN coalesce(r.started_at, now())
                                    WHEN :requeues THEN NULL
                                    ELSE r.started_at END,
                 finished_at = CASE WHEN :finishes THEN now() END,
                 error       = CASE WHEN :keepsError THEN :message END,
                 -- the rung of a stopped run; a promotion (stopped -> pending | running) clears it
                 stopped_epoch = CASE WHEN :to = 'stopped' THEN r.stopped_epoch END
            FROM prior p
           WHERE r.id = p.id
             AND run_transition_kind(p.status, :to) IS NOT NULL
          RETURNING r.*, run_transition_kind(p.status, r.status) AS event_kind, p.status AS from_status
      ), logged AS (
          INSERT INTO run_event (run_id, kind, from_status, to_status, worker, attempt, message)
          SELECT id, event_kind, from_status, status, worker, attempts, :message FROM changed
      )
      SELECT p.status AS prior_status, (c.id IS NOT NULL) AS changed, %s
        FROM prior p LEFT JOIN changed c ON c.id = p.id
      """.formatted(Arrays.stream(Rows.RUN_COLUMNS.split(","))
      .map(String::trim)
      .map(column -> "c." + column)
      .collect(Collectors.joining(", ")));

  private final Jdbi jdbi;

  public RunRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Registers a run as pending. Idempotent: registering the same definition again returns the stored run as it
   * is (whatever its status).
   *
   * @throws RunDefinitionConflictException when the id, or the cell, is registered with a different definition
   * @throws NotFoundException when the benchmark or the dataset is not registered
   */
  public Run register(RunDefinition definition) {
    return jdbi.withHandle(h -> register(h, definition));
  }

  /** Registers all runs in one transaction: all of them are stored, or none. */
  public List<Run> registerAll(Collection<RunDefinition> definitions) {
    return jdbi.inTransaction(h -> definitions.stream().map(d -> register(h, d)).toList());
  }

  /**
   * Registers the runs of a benchmark's cells, {@code cellIds} their content identities ({@link #runIdsByCell} finds
   * them from any benchmark later), and links them to the benchmark: a run that exists already (registered by
   * another benchmark with the same cell) is linked, not registered again. The benchmark's links to other runs in
   * the same slots (dataset, model, variant, seed) are removed (its cells changed content: a TorchScript module
   * replaced under the same path); those runs and their figures stay. Links in other slots stay (an adaptive
   * benchmark links its later seeds call by call).
   */
  public List<Run> registerCells(List<RunDefinition> definitions, List<String> cellIds) {
    if (definitions.size() != cellIds.size()) {
      throw new IllegalArgumentException(definitions.size() + " runs but " + cellIds.size() + " cell ids");
    }
    return jdbi.inTransaction(h -> {
      definitions.stream().collect(Collectors.groupingBy(RunDefinition::benchmarkId)).forEach((benchmark, defs) ->
      // only the slots (dataset, model, variant, seed) registered now: an adaptive benchmark links its
      // later seeds in several calls, and keeps the links of the earlier ones
      h.createUpdate("""
          DELETE FROM benchmark_run l
           WHERE l.benchmark_id = :benchmarkId AND l.run_id <> ALL(:ids)
             AND (l.dataset_id, l.model, l.variant, l.seed) IN
                 (SELECT * FROM unnest(:datasets, :models, :variants, :seeds))""")
          .bind("benchmarkId", benchmark)
          .bindArray("ids", String.class, defs.stream().map(RunDefinition::id).toList())
          .bindArray("datasets", String.class, defs.stream().map(RunDefinition::datasetId).toList())
          .bindArray("models", String.class, defs.stream().map(RunDefinition::model).toList())
          .bindArray("variants", String.class, defs.stream().map(RunDefinition::variant).toList())
          .bindArray("seeds", Long.class, defs.stream().map(RunDefinition::seed).toList())
          .execute());
      List<Run> runs = new ArrayList<>(definitions.size());
      for (int i = 0; i < definitions.size(); i++) {
        runs.add(register(h, definitions.get(i), Require.text(cellIds.get(i), "cell id")));
      }
      return runs;
    });
  }

  /**
   * The run id of each of {@code cellIds} that has a run, by cell id, in one query: the run that succeeded if any
   * (a store of an earlier release may hold several runs of one cell), else the newest.
   */
  public Map<String, String> runIdsByCell(Collection<String> cellIds) {
    return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT ON (cell_id) cell_id, id FROM run"
        + " WHERE cell_id = ANY(:cellIds)"
        + " ORDER BY cell_id, (status = :succeeded) DESC, created_at DESC, id")
        .bindArray("cellIds", String.class, List.copyOf(cellIds))
        .bind("succeeded", RunStatus.SUCCEEDED.sqlName())
        .reduceRows(new HashMap<String, String>(), (map, row) -> {
          map.put(row.getColumn("cell_id", String.class), row.getColumn("id", String.class));
          return map;
        }));
  }

  /** The content identity the run was registered with ({@code null}: a run of an earlier release's unknown cell). */
  public Optional<String> cellId(String runId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT cell_id FROM run WHERE id = :id")
        .bind("id", runId)
        .mapTo(String.class)
        .findOne());
  }

  /** Ids of the benchmark's runs that had succeeded in an earlier benchmark when it linked them. */
  public Set<String> fromBeforeIds(String benchmarkId) {
    return jdbi.withHandle(h -> h.createQuery(
        "SELECT run_id FROM benchmark_run WHERE benchmark_id = :benchmarkId AND from_before")
        .bind("benchmarkId", benchmarkId)
        .mapTo(String.class)
        .collect(Collectors.toUnmodifiableSet()));
  }

  private static Run register(Handle h, RunDefinition definition) {
    return register(h, definition, null);
  }

  private static Run register(Handle h, RunDefinition definition, String cellId) {
    Optional<Run> registered;
    try {
      registered = h.createQuery(REGISTER)
          .bind("registered", RunEventKind.REGISTERED.sqlName())
          .bind("succeeded", RunStatus.SUCCEEDED.sqlName())
          .bind("cellId", cellId)
          .bind("id", definition.id())
          .bind("benchmarkId", definition.benchmarkId())
          .bind("datasetId", definition.datasetId())
          .bind("model", definition.model())
          .bind("lossName", definition.lossName())
          .bind("lossParams", Jsonb.write(definition.lossParams()))
          .bind("variant", definition.variant())
          .bind("seed", definition.seed())
          .bind("trainingConfig", Jsonb.write(definition.trainingConfig()))
          .bind("validationIsTest", definition.validationIsTest())
          .map(Rows::run)
          .findOne();
    } catch (RuntimeException e) {
      throw translateRegisterFailure(e, definition);
    }
    return registered.orElseThrow(() -> new RunDefinitionConflictException(definition.id(),
        "run " + definition.id() + " is already registered with another definition (stored: "
            + describe(find(h, definition.id()).map(Run::definition).orElse(null)) + "; new: "
            + describe(definition) + "); a run id must be a stable hash of its whole cell"));
  }

  private static RuntimeException translateRegisterFailure(RuntimeException e, RunDefinition definition) {
    Optional<SqlFailure> failure = SqlFailure.of(e);
    if (failure.isEmpty()) {
      return e;
    }
    SqlFailure f = failure.get();
    if (f.is(SqlFailure.UNIQUE_VIOLATION, "run_cell_unique")
        || f.is(SqlFailure.UNIQUE_VIOLATION, "benchmark_run_cell_unique")) {
      return new RunDefinitionConflictException(definition.id(), "run " + definition.id()
          + " repeats a cell another run already holds (" + describe(definition)
          + "); each benchmark, dataset, model, variant and seed is one run");
    }
    if (f.is(SqlFailure.FOREIGN_KEY_VIOLATION, "run_benchmark_fk")
        || f.is(SqlFailure.FOREIGN_KEY_VIOLATION, "benchmark_run_benchmark_fk")) {
      return new NotFoundException("benchmark", definition.benchmarkId());
    }
    if (f.is(SqlFailure.FOREIGN_KEY_VIOLATION, "run_dataset_fk")) {
      return new NotFoundException("dataset", definition.datasetId());
    }
    return e;
  }

  private static String describe(RunDefinition d) {
    if (d == null) {
      return "?";
    }
    return "benchmark " + d.benchmarkId() + ", dataset " + d.datasetId() + ", model " + d.model() + ", variant "
        + d.variant() + ", seed " + d.seed() + ", loss " + d.lossName() + " " + d.lossParams()
        + ", training " + d.trainingConfig();
  }

  /**
   * Starts an attempt on {@code worker}: pending → running, running → running (a retry, e.g. after a worker
   * died) or a resume of a failed, diverged or cancelled run. Counts one attempt.
   */
  public Run start(String runId, String worker) {
    return transition(runId, RunStatus.RUNNING, Require.text(worker, "worker"), null);
  }

  /**
   * Ends the current attempt with {@code status}. Calling it again with the same status (an activity retried
   * after it had committed) returns the run unchanged.
   *
   * @param error why it failed, diverged or was cancelled; ignored for succeeded
   */
  public Run finish(String runId, RunStatus status, String error) {
    if (!status.isFinished()) {
      throw new IllegalArgumentException("finish needs succeeded, failed, diverged or cancelled, got "
          + status.sqlName());
    }
    return transition(runId, status, null, status == RunStatus.SUCCEEDED ? null : error);
  }

  /** Puts a failed, diverged or cancelled run back to pending, so that resume picks it up; {@code reason} is logged. */
  public Run requeue(String runId, String reason) {
    return transition(runId, RunStatus.PENDING, null, reason);
  }

  /**
   * Moves the run to {@code to} if the status graph allows it, logging a run_event in the same statement. Moving
   * to the status the run already has is a no-op (nothing logged), except running → running, which is a retry.
   *
   * @param worker recorded on the run and the event; {@code null} keeps the run's worker
   * @param message logged on the event; for failed, diverged and cancelled also stored as the run's error
   * @throws RunTransitionRefusedException when the change would go backwards; the row is left unchanged
   * @throws NotFoundException when there is no such run
   */
  private Run transition(String runId, RunStatus to, String worker, String message) {
    return jdbi.inTransaction(h -> transition(h, runId, to, worker, message));
  }

  /** {@link #transition(String, RunStatus, String, String)} in the caller's transaction. */
  static Run transition(Handle h, String runId, RunStatus to, String worker, String message) {
    {
      Optional<TransitionOutcome> outcome = h.createQuery(TRANSITION)
          .bind("id", runId)
          .bind("to", to.sqlName())
          .bind("starts", to == RunStatus.RUNNING)
          .bind("requeues", to == RunStatus.PENDING)
          .bind("finishes", to.isFinished())
          .bind("keepsError", to.isUnsuccessful())
          .bind("worker", worker)
          .bind("message", message)
          .map((rs, ctx) -> new TransitionOutcome(
              RunStatus.fromSql(rs.getString("prior_status")),
              rs.getBoolean("changed") ? Rows.run(rs, ctx) : null))
          .findOne();
      if (outcome.isEmpty()) {
        throw new NotFoundException("run", runId);
      }
      TransitionOutcome o = outcome.get();
      if (o.run() != null) {
        return o.run();
      }
      if (o.prior() == to) {
        return find(h, runId).orElseThrow(() -> new NotFoundException("run", runId));
      }
      throw new RunTransitionRefusedException(runId, o.prior(), to, allowedFrom(h, o.prior()));
    }
  }

  private record TransitionOutcome(RunStatus prior, Run run) {}

  private static Set<RunStatus> allowedFrom(Handle h, RunStatus from) {
    EnumSet<RunStatus> allowed = EnumSet.noneOf(RunStatus.class);
    for (RunStatus to : RunStatus.values()) {
      boolean ok = h.createQuery("SELECT run_transition_kind(:from, :to) IS NOT NULL")
          .bind("from", from.sqlName())
          .bind("to", to.sqlName())
          .mapTo(Boolean.class)
          .one();
      if (ok) {
        allowed.add(to);
      }
    }
    return allowed;
  }

  public Optional<Run> find(String runId) {
    return jdbi.withHandle(h -> find(h, runId));
  }

  private static Optional<Run> find(Handle h, String runId) {
    return h.createQuery("SELECT " + Rows.RUN_COLUMNS + " FROM run WHERE id = :id")
        .bind("id", runId)
        .map(Rows::run)
        .findOne();
  }

  /** All runs of a benchmark (those linked to it), in a stable order (dataset, model, variant, seed). */
  public List<Run> byBenchmark(String benchmarkId) {
    return byBenchmark(benchmarkId, EnumSet.allOf(RunStatus.class));
  }

  /** The runs of a benchmark whose status is one of {@code statuses}. */
  public List<Run> byBenchmark(String benchmarkId, Set<RunStatus> statuses) {
    List<String> names = statuses.stream().map(RunStatus::sqlName).toList();
    return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.RUN_COLUMNS + " FROM run"
        + " WHERE id IN (SELECT run_id FROM benchmark_run WHERE benchmark_id = :benchmarkId)"
        + " AND status = ANY(:statuses)"
        + " ORDER BY dataset_id, model, variant, seed")
        .bind("benchmarkId", benchmarkId)
        .bindArray("statuses", String.class, names)
        .map(Rows::run)
        .list());
  }

  /** Every benchmark's runs counted by status, in one query: benchmark id → status → runs (no zero counts). */
  public Map<String, Map<RunStatus, Integer>> countsByBenchmark() {
    Map<String, Map<RunStatus, Integer>> counts = new HashMap<>();
    jdbi.useHandle(h -> h
        .createQuery(
            "SELECT l.benchmark_id, r.status, count(*) AS runs FROM benchmark_run l JOIN run r ON r.id = l.run_id"
                + " GROUP BY l.benchmark_id, r.status")
        .map((rs, ctx) -> new StatusCount(rs.getString("benchmark_id"), RunStatus.fromSql(rs.getString("status")),
            rs.getInt("runs")))
        .forEach(c -> counts.computeIfAbsent(c.benchmarkId(), b -> new EnumMap<>(RunStatus.class))
            .put(c.status(), c.runs())));
    return counts;
  }

  private record StatusCount(String benchmarkId, RunStatus status, int runs) {}

  /** The rung a stopped run was stopped at ({@code stopped_epoch}: its epochs trained); empty for any other run. */
  public Optional<Integer> stoppedEpoch(String runId) {
    return jdbi
        .withHandle(h -> h.createQuery("SELECT stopped_epoch FROM run WHERE id = :id AND stopped_epoch IS NOT NULL")
            .bind("id", runId)
            .mapTo(Integer.class)
            .findOne());
  }

  /** The status of each of these runs, in one query; ids without a run are absent. */
  public Map<String, RunStatus> statuses(Collection<String> runIds) {
    Map<String, RunStatus> statuses = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT id, status FROM run WHERE id = ANY(:ids)")
        .bindArray("ids", String.class, List.copyOf(runIds))
        .map((rs, ctx) -> Map.entry(rs.getString("id"), RunStatus.fromSql(rs.getString("status"))))
        .forEach(e -> statuses.put(e.getKey(), e.getValue())));
    return statuses;
  }

  /**
   * Stops a running run at the rung of {@code epochs} epochs (early stopping): {@code stopped} with
   * {@code stopped_epoch}, logged as every status change. A run in any other status is left as it is (a decision
   * repeated after a crash writes nothing; a run that succeeded or failed meanwhile keeps that; a pending one was
   * not trained to the rung by this benchmark).
   *
   * @return whether the run was stopped now
   */
  public boolean stop(String runId, int epochs) {
    Require.nonNegative(epochs, "stopped epoch");
    return jdbi.inTransaction(h -> {
      RunStatus now = h.createQuery("SELECT status FROM run WHERE id = :id FOR UPDATE")
          .bind("id", runId)
          .map((rs, ctx) -> RunStatus.fromSql(rs.getString("status")))
          .findOne()
          .orElseThrow(() -> new NotFoundException("run", runId));
      if (now != RunStatus.RUNNING) {
        return false;
      }
      transition(h, runId, RunStatus.STOPPED, null, "stopped at epoch " + epochs + " (early stopping)");
      h.createUpdate("UPDATE run SET stopped_epoch = :epochs WHERE id = :id")
          .bind("id", runId)
          .bind("epochs", epochs)
          .execute();
      return true;
    });
  }

  /** Ids of the benchmark's runs that succeeded: a resume skips these. */
  public Set<String> succeededIds(String benchmarkId) {
    return jdbi.withHandle(h -> h.createQuery(
        "SELECT id FROM run WHERE status = :status"
            + " AND id IN (SELECT run_id FROM benchmark_run WHERE benchmark_id = :benchmarkId)")
        .bind("benchmarkId", benchmarkId)
        .bind("status", RunStatus.SUCCEEDED.sqlName())
        .mapTo(String.class)
        .collect(Collectors.toUnmodifiableSet()));
  }
}
