package dev.lossbench.workflows.adaptive;

import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.workflows.activities.CellRuns;
import dev.lossbench.workflows.activities.LookGroup;
import dev.lossbench.workflows.activities.RunAtRung;
import dev.lossbench.workflows.activities.StoreActivities;
import dev.lossbench.workflows.activities.VariantDecision;
import dev.lossbench.workflows.adaptive.AdaptiveState.Group;
import dev.lossbench.workflows.adaptive.AdaptiveState.Phase;
import dev.lossbench.workflows.matrix.AdaptivePlan;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import dev.lossbench.workflows.matrix.Cell;
import dev.lossbench.workflows.matrix.DatasetSpec;
import dev.lossbench.workflows.run.RunPhase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The driver of an adaptive matrix ({@link AdaptivePlan}), run inside the benchmark workflow: which runs train, how
 * far, and which stop. Deterministic: every decision comes from the spec and from activity results (the store's
 * figures), so a replay takes the same path, and a resumed benchmark — a new workflow execution that starts from
 * the beginning — recomputes every decision from the store and reaches the same survivors, training nothing the store
 * says is done.
 *
 * <p>Per dataset × model group the loss variants go through up to three phases, all groups in step:
 * <ol>
 *   <li>{@link Phase#RUNGS} (with early stopping): for each rung before the last ({@link Rungs}) every surviving
 *       variant trains on the first seeds to the rung's epoch; the rung's validation rSum, averaged over those seeds,
 *       ranks them ({@link SuccessiveHalving}: the baseline always kept, a variant with a failed or diverged seed
 *       last); the others are stopped at the rung.</li>
 *   <li>{@link Phase#FULL}: the survivors train on the first seeds to the last epoch, evaluated and finished.</li>
 *   <li>{@link Phase#SEEDS} (with sequential seeds): at each look n the comparison engine decides every variant still
 *       in play against the baseline; decided ones stop, undecided ones (and the baseline) get the next seeds, in
 *       full, until none is undecided or n reaches the maximum.</li>
 * </ol>
 */
public final class AdaptiveBenchmark {
  /** How the driver has runs trained: the benchmark workflow's child runs, its batches and counts. */
  public interface Runs {
    /**
     * Starts the run of {@code cell} (waiting for a free slot): to {@code untilEpochs} epochs without evaluation (a
     * rung), or in full, evaluated and finished when {@code untilEpochs} is null.
     */
    void start(Cell cell, Integer untilEpochs);

    /** Waits until every run started has ended or reached its rung. */
    void awaitIdle();

    /**
     * Called before each start: when this workflow run has started its share of runs, waits for them and continues as
     * new with {@code state} (never returns then).
     */
    void beforeStart(AdaptiveState state);

    /** Counts a run stopped at a rung. */
    void stopped(String runId);

    /** Counts a stopped run that trains on (a promotion): pending again. */
    void unstopped(String runId);

    /** Takes in the runs of {@code cells} cells just linked to the benchmark (the next seeds of a look). */
    void linked(CellRuns runs, int cells);
  }

  /** A run in one of these ranks its variant last at a rung. */
  private static final Set<RunPhase> FAILED = Set.of(RunPhase.FAILED, RunPhase.DIVERGED, RunPhase.CANCELLED);
  private final String benchmarkId;
  private final BenchmarkSpec spec;
  private final AdaptivePlan plan;
  private final StoreActivities store;
  private final Function<String, String> runIdOfCell;
  private final Runs runs;
  private final Map<String, Cell> cellsByKey = new HashMap<>();
  /** Runs this workflow run counted stopped (a promotion counts them pending again). */
  private final Set<String> stoppedHere = new HashSet<>();
  private final String baseline;

  /**
   * @param runIdOfCell the run of the cell with this {@link Cell#id()} (as the registration gave it)
   */
  public AdaptiveBenchmark(String benchmarkId, BenchmarkSpec spec, StoreActivities store,
      Function<String, String> runIdOfCell, Runs runs) {
    this.benchmarkId = benchmarkId;
    this.spec = spec;
    this.plan = spec.adaptive();
    this.store = store;
    this.runIdOfCell = runIdOfCell;
    this.runs = runs;
    for (Cell c : spec.cells()) {
      cellsByKey.put(key(c.dataset().id(), c.model(), c.loss(), c.seed()), c);
    }
    this.baseline = spec.losses().stream().filter(l -> LossSpec.parse(l).label().equals(spec.baseline()))
        .findFirst().orElse(null);
  }

  /** The state a new submission starts from: every variant of every group in play, nothing decided. */
  public AdaptiveState initial() {
    List<Group> groups = new ArrayList<>();
    for (DatasetSpec d : spec.stageOrder()) {
      for (String m : spec.models()) {
        List<String> variants = spec.losses().stream().filter(d::trainsWith).toList();
        groups.add(new Group(d.id(), m, variants, List.of()));
      }
    }
    Phase first = plan.earlyStopping() != null ? Phase.RUNGS : Phase.FULL;
    return new AdaptiveState(first, 0, 0, spec.firstSeeds().size(), groups);
  }

  /** Runs the plan from {@code state} to its end; the last state. */
  public AdaptiveState run(AdaptiveState state) {
    if (state.phase() == Phase.RUNGS) {
      List<Integer> rungs = rungs();
      for (int i = state.rung(); i < rungs.size() - 1; i++) {
        state = rung(state.at(Phase.RUNGS, i, 0, state.groups()), rungs.get(i));
      }
      state = state.at(Phase.FULL, rungs.size() - 1, 0, state.groups());
    }
    if (state.phase() == Phase.FULL) {
      state = full(state);
    }
    if (state.phase() == Phase.SEEDS) {
      state = seeds(state);
    }
    return state;
  }

  /**
   * {@code lossbench resume NAME --promote VARIANT}: the stopped runs of the variants so labelled (every run of theirs
   * on the first seeds that successive halving stopped) continue from their checkpoints to the last epoch, evaluated
   * and finished. The decisions of {@code state} are not changed: a promoted variant gets no more seeds.
   */
  public void promote(AdaptiveState state, List<String> variantLabels) {
    List<Cell> cells = new ArrayList<>();
    for (Group g : state.groups()) {
      for (String v : spec.losses()) {
        if (variantLabels.contains(LossSpec.parse(v).label()) && !g.survivors().contains(v)) {
          for (long seed : firstSeeds()) {
            Cell c = cellsByKey.get(key(g.dataset(), g.model(), v, seed));
            if (c != null) {
              cells.add(c);
            }
          }
        }
      }
    }
    train(state, cells, spec.trainingConfig().epochs(), null);
  }

  /** r_1 < … < r_K = the cells' epochs. */
  List<Integer> rungs() {
    AdaptivePlan.EarlyStopping e = plan.earlyStopping();
    return Rungs.of(e.graceEpochs(), e.reductionFactor(), spec.trainingConfig().epochs());
  }

  /** The seeds every variant starts with: the first {@code min} of sequential seeds, else every seed. */
  List<Long> firstSeeds() {
    return spec.firstSeeds();
  }

  /** Every survivor trains to {@code epochs} on the first seeds; the rung's ranking stops the rest. */
  private AdaptiveState rung(AdaptiveState state, int epochs) {
    List<Cell> cells = cells(state.groups(), firstSeeds(), false);
    train(state, cells, epochs, epochs);
    Map<String, RunAtRung> at = index(store.atRung(runIds(cells), epochs));
    List<Group> next = new ArrayList<>();
    List<String> stop = new ArrayList<>();
    for (Group g : state.groups()) {
      Map<String, Double> means = new LinkedHashMap<>();
      for (String v : g.survivors()) {
        means.put(LossSpec.parse(v).label(), meanOver(g, v, at));
      }
      AdaptivePlan.EarlyStopping rule = plan.earlyStopping();
      Set<String> keptLabels = SuccessiveHalving.decide(means, spec.baseline(), rule.reductionFactor(),
          rule.keepWithin()).kept();
      List<String> kept = g.survivors().stream().filter(v -> keptLabels.contains(LossSpec.parse(v).label())).toList();
      for (String v : g.survivors()) {
        if (!kept.contains(v)) {
          for (long seed : firstSeeds()) {
            Cell c = cellsByKey.get(key(g.dataset(), g.model(), v, seed));
            RunAtRung r = at.get(runIdOfCell.apply(c.id()));
            if (r != null && (r.status() == RunPhase.RUNNING || r.status() == RunPhase.PENDING
                || r.status() == RunPhase.STOPPED)) {
              stop.add(r.runId());
            }
          }
        }
      }
      next.add(g.withSurvivors(kept));
    }
    if (!stop.isEmpty()) {
      store.stopRuns(stop, epochs);
      stop.forEach(runs::stopped);
      stoppedHere.addAll(stop);
    }
    return state.at(Phase.RUNGS, state.rung() + 1, 0, next);
  }

  /**
   * The variant's mean validation rSum at the rung over the first seeds; NaN (ranked last) when some seed has no
   * figure there: it failed or diverged before the rung.
   */
  private double meanOver(Group g, String variant, Map<String, RunAtRung> at) {
    double sum = 0;
    int n = 0;
    for (long seed : firstSeeds()) {
      Cell c = cellsByKey.get(key(g.dataset(), g.model(), variant, seed));
      RunAtRung r = at.get(runIdOfCell.apply(c.id()));
      if (r == null || r.validationRsum() == null || r.validationRsum().isNaN() || FAILED.contains(r.status())) {
        return Double.NaN;
      }
      sum += r.validationRsum();
      n++;
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** The survivors on the first seeds, in full. */
  private AdaptiveState full(AdaptiveState state) {
    int epochs = spec.trainingConfig().epochs();
    train(state, cells(state.groups(), firstSeeds(), false), epochs, null);
    if (plan.seeds() == null) {
      return state.at(Phase.DONE, state.rung(), 0, state.groups());
    }
    return state.at(Phase.SEEDS, state.rung(), plan.seeds().min(), state.groups());
  }

  /** Looks of sequential seeds from {@code state.seeds()} on. */
  private AdaptiveState seeds(AdaptiveState state) {
    List<Integer> looks = plan.seeds().looks();
    int epochs = spec.trainingConfig().epochs();
    while (true) {
      int n = state.seeds();
      List<LookGroup> asked = new ArrayList<>();
      for (Group g : state.groups()) {
        List<String> open = undecided(g);
        if (!open.isEmpty()) {
          asked.add(new LookGroup(g.dataset(), ModelSpec.parse(g.model()).label(),
              open.stream().map(v -> LossSpec.parse(v).label()).toList()));
        }
      }
      if (asked.isEmpty()) {
        return state.at(Phase.DONE, state.rung(), n, state.groups());
      }
      List<VariantDecision> decisions = store.look(benchmarkId, n, asked);
      List<Group> next = new ArrayList<>();
      for (Group g : state.groups()) {
        String model = ModelSpec.parse(g.model()).label();
        List<String> decided = new ArrayList<>();
        for (VariantDecision d : decisions) {
          if (d.decided() && d.dataset().equals(g.dataset()) && d.model().equals(model)) {
            undecided(g).stream().filter(v -> LossSpec.parse(v).label().equals(d.variant())).forEach(decided::add);
          }
        }
        next.add(g.withDecided(decided));
      }
      int at = looks.indexOf(n);
      if (at < 0 || at == looks.size() - 1) {
        return state.at(Phase.DONE, state.rung(), n, next);
      }
      int more = looks.get(at + 1);
      state = state.at(Phase.SEEDS, state.rung(), n, next);
      // the undecided variants of each group and its baseline get seeds n+1..more, in full
      List<Cell> cells = cells(next, spec.seeds().subList(n, more), true);
      if (state.linked() < more) {
        CellRuns linked = store.linkCells(benchmarkId, spec, cells.stream().map(Cell::id).toList());
        runs.linked(linked, cells.size());
        state = state.linking(more);
      }
      train(state, cells, epochs, null);
      state = state.at(Phase.SEEDS, state.rung(), more, next);
    }
  }

  /** A group's survivors the sequential rule has not decided (the baseline is never decided: it is compared with). */
  private List<String> undecided(Group g) {
    return g.survivors().stream().filter(v -> !v.equals(baseline) && !g.decided().contains(v)).toList();
  }

  /**
   * The cells of each group's survivors on {@code seeds}; with {@code undecidedOnly}, of its undecided variants and,
   * when it has any, its baseline.
   */
  private List<Cell> cells(List<Group> groups, List<Long> seeds, boolean undecidedOnly) {
    List<Cell> cells = new ArrayList<>();
    for (Group g : groups) {
      List<String> variants = g.survivors();
      if (undecidedOnly) {
        List<String> open = undecided(g);
        variants = open.isEmpty()
            ? List.of()
            : g.survivors().stream().filter(v -> v.equals(baseline) || open.contains(v)).toList();
      }
      for (String v : variants) {
        for (long seed : seeds) {
          Cell c = cellsByKey.get(key(g.dataset(), g.model(), v, seed));
          if (c != null) {
            cells.add(c);
          }
        }
      }
    }
    return cells;
  }

  /**
   * Trains each of {@code cells} that has not reached {@code epochs} and is still to train (pending, running, or
   * stopped at an earlier rung by another benchmark); one that failed or diverged in this submission is not retried.
   * No epoch is trained twice: a run at the rung already is not started, and a started one continues from its last
   * checkpoint.
   */
  private void train(AdaptiveState state, List<Cell> cells, int epochs, Integer untilEpochs) {
    Map<String, RunAtRung> at = index(store.atRung(runIds(cells), epochs));
    for (Cell c : cells) {
      RunAtRung r = at.get(runIdOfCell.apply(c.id()));
      if (r == null || !toTrain(r, untilEpochs)) {
        continue;
      }
      if (r.status() == RunPhase.STOPPED && stoppedHere.contains(r.runId())) {
        runs.unstopped(r.runId());
      }
      runs.beforeStart(state);
      runs.start(c, untilEpochs);
    }
    runs.awaitIdle();
  }

  private static boolean toTrain(RunAtRung r, Integer untilEpochs) {
    Set<RunPhase> open = Set.of(RunPhase.PENDING, RunPhase.RUNNING, RunPhase.STOPPED);
    if (!open.contains(r.status())) {
      return false;
    }
    // a rung reached needs no training; a full run still needs its evaluation and end
    return untilEpochs == null || r.validationRsum() == null;
  }

  private List<String> runIds(List<Cell> cells) {
    return cells.stream().map(c -> runIdOfCell.apply(c.id())).toList();
  }

  private static Map<String, RunAtRung> index(List<RunAtRung> list) {
    Map<String, RunAtRung> m = new HashMap<>();
    list.forEach(r -> m.put(r.runId(), r));
    return m;
  }

  private static String key(String dataset, String model, String loss, long seed) {
    return dataset + "\n" + model + "\n" + loss + "\n" + seed;
  }
}
