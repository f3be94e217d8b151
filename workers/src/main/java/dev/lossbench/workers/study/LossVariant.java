package dev.lossbench.workers.study;

import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.params.SpecException;
import java.util.Optional;

/**
 * What the study needs to know about a loss variant's label, read through {@link LossSpec} so that
 * defaults count (the label {@code unified} is γ = 50, m = 0.1): whether a unified variant has a
 * margin (m = 0 is VLC at τ = 1/γ, so it cannot stand for "the unified loss"), which VLC has the
 * matching temperature, and whether a Triplet-HN variant has VSE∞'s warm-up.
 */
record LossVariant(String label, String loss, LossSpec spec) {

  /** The parsed label; empty when it is not a loss spec (a hand-made store). */
  static Optional<LossVariant> of(String label) {
    try {
      LossSpec spec = LossSpec.parse(label);
      return Optional.of(new LossVariant(label, spec.name().id(), spec));
    } catch (SpecException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static boolean isUnifiedWithMargin(String label) {
    return of(label).filter(v -> v.loss.equals("unified")).map(v -> v.spec.number("margin") > 0).orElse(false);
  }

  static boolean isTripletHn(String label) {
    return of(label).map(v -> v.loss.equals("triplet-hn")).orElse(false);
  }

  /** Warm-up epochs of a Triplet-HN variant (0 for plain); -1 for anything else. */
  static int warmupEpochs(String label) {
    return of(label).filter(v -> v.loss.equals("triplet-hn")).map(v -> v.spec.integer("warmup_epochs")).orElse(-1);
  }

  /** τ of an InfoNCE variant with a fixed temperature; empty for anything else. */
  static Optional<Double> temperature(String label) {
    return of(label).filter(v -> v.loss.equals("infonce") && !v.spec.flag("learnable"))
        .map(v -> v.spec.number("tau"));
  }

  /** γ of a unified variant (its default where the label leaves it out). */
  static double gamma(String label) {
    return of(label).orElseThrow().spec.number("gamma");
  }

  /** m of a unified variant. */
  static double margin(String label) {
    return of(label).orElseThrow().spec.number("margin");
  }

  /** Whether {@code vlc} is InfoNCE at a fixed τ = 1/γ of unified variant {@code unified}. */
  static boolean matchesTemperature(String unified, String vlc) {
    Optional<LossVariant> u = of(unified).filter(v -> v.loss.equals("unified"));
    Optional<LossVariant> c = of(vlc).filter(v -> v.loss.equals("infonce") && !v.spec.flag("learnable"));
    if (u.isEmpty() || c.isEmpty()) {
      return false;
    }
    double tau = 1 / u.get().spec.number("gamma");
    return Math.abs(c.get().spec.number("tau") - tau) <= 1e-9 * tau
        && u.get().spec.params().get("reduction").equals(c.get().spec.params().get("reduction"))
        && u.get().spec.params().get("directions").equals(c.get().spec.params().get("directions"));
  }
}
