package dev.lossbench.workflows.matrix;

import java.util.List;
import java.util.Objects;

/**
 * A dataset's {@code init:}: its cells fine-tune. Either from another stage of the matrix — each
 * cell starts from the best checkpoint of one cell on the dataset {@code from}: the cell with the
 * same model and seed, and the loss variant {@code loss} (or, when {@code loss} is null, the
 * fine-tuning cell's own loss variant) — or from a checkpoint file the user has.
 *
 * @param from the name of the dataset (stage) whose cells are the parents, or {@code null} when
 *     the cells start from {@code checkpoint}
 * @param loss canonical loss spec of the parents, or {@code null}: each cell's own
 * @param freeze name prefixes of parameters the fine-tuning does not update (e.g. {@code text.embedding})
 * @param checkpoint absolute path of a lossbench checkpoint every cell starts from, or {@code null}
 * @param checkpointSha256 SHA-256 of that file's bytes when the matrix was read (part of the
 *     cells' identity: a changed file makes new cells), or {@code null}
 */
public record StageInit(String from, String loss, List<String> freeze, String checkpoint, String checkpointSha256) {
  public StageInit {
    if ((from == null) == (checkpoint == null)) {
      throw new IllegalArgumentException("exactly one of from and checkpoint: " + from + ", " + checkpoint);
    }
    if (checkpoint != null) {
      Objects.requireNonNull(checkpointSha256, "checkpointSha256");
    }
    freeze = freeze == null ? List.of() : List.copyOf(freeze);
  }

  /** Starts from the cells of another stage. */
  public StageInit(String from, String loss, List<String> freeze) {
    this(from, loss, freeze, null, null);
  }

  /** Starts from a checkpoint file. */
  public static StageInit ofCheckpoint(String checkpoint, String sha256, List<String> freeze) {
    return new StageInit(null, null, freeze, checkpoint, sha256);
  }

  /** Whether the cells start from another stage's cells (rather than a file). */
  public boolean fromStage() {
    return from != null;
  }
}
