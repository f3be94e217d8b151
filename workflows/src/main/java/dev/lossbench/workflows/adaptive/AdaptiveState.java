package dev.lossbench.workflows.adaptive;

import java.util.ArrayList;
import java.util.List;

/**
 * What an adaptive benchmark has decided so far, small enough to carry over continue-as-new (per group: the loss
 * variants still in play and those decided, never a run). Everything in it is recomputed the same from the store when
 * a benchmark is resumed: it saves activities, it is not the record.
 *
 * @param phase where the benchmark is
 * @param rung index of the next rung to decide ({@link Phase#RUNGS})
 * @param seeds seeds every variant in play has finished (the look's n) in {@link Phase#SEEDS}; 0 before
 * @param linked seeds whose cells are linked to the benchmark for the variants that need them (the registration
 *     links the first ones; each look's next seeds are linked once)
 * @param groups per dataset × model, in the matrix's order
 */
public record AdaptiveState(Phase phase, int rung, int seeds, int linked, List<Group> groups) {
  public AdaptiveState {
    groups = List.copyOf(groups);
  }

  /** Rungs of successive halving, then the survivors trained in full, then more seeds for undecided variants. */
  public enum Phase {
    RUNGS, FULL, SEEDS, DONE
  }

  /**
   * One dataset × model group.
   *
   * @param dataset {@link dev.lossbench.workflows.matrix.DatasetSpec#id()}
   * @param model the canonical model spec
   * @param survivors canonical loss specs not stopped by successive halving (the baseline always), matrix order
   * @param decided canonical loss specs the sequential rule has decided (better, worse, equivalent): no more seeds
   */
  public record Group(String dataset, String model, List<String> survivors, List<String> decided) {
    public Group {
      survivors = List.copyOf(survivors);
      decided = List.copyOf(decided);
    }

    Group withSurvivors(List<String> kept) {
      return new Group(dataset, model, kept, decided);
    }

    Group withDecided(List<String> more) {
      List<String> all = new ArrayList<>(decided);
      more.stream().filter(v -> !all.contains(v)).forEach(all::add);
      return new Group(dataset, model, survivors, all);
    }
  }

  AdaptiveState at(Phase p, int r, int n, List<Group> g) {
    return new AdaptiveState(p, r, n, linked, g);
  }

  AdaptiveState linking(int seedsLinked) {
    return new AdaptiveState(phase, rung, seeds, seedsLinked, groups);
  }
}
