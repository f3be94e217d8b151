package dev.lossbench.workflows.spec;

import java.util.List;
import java.util.Objects;

/**
 * A dataset's {@code init:}: its cells fine-tune, each starting from the best checkpoint of one
 * cell on the dataset {@code from} — the cell with the same model and seed, and the loss variant
 * {@code loss} (or, when {@code loss} is null, the fine-tuning cell's own loss variant).
 *
 * @param from the name of the dataset (stage) whose cells are the parents
 * @param loss canonical loss spec of the parents, or {@code null}: each cell's own
 * @param freeze name prefixes of parameters the fine-tuning does not update (e.g. {@code text.embedding})
 */
public record StageInit(String from, String loss, List<String> freeze) {
  public StageInit {
    Objects.requireNonNull(from, "from");
    freeze = freeze == null ? List.of() : List.copyOf(freeze);
  }
}
