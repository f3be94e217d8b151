package dev.lossbench.workers.activities;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.io.Sha256;
import dev.lossbench.retrieval.model.ModelSpec;
import dev.lossbench.workflows.matrix.Cell;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cell's content identity, the key of its run in every benchmark: {@link Cell#id()} (dataset identity,
 * protocols, model, loss variant, training settings, seed, a start checkpoint's bytes, the parent cell), with
 * what the matrix cannot hold added here, at registration, where files may be read: a TorchScript module's
 * SHA-256 (its path names it, its bytes are it: a module replaced under the same path is a new cell), and a
 * parent's identity when that differs from the parent's cell id. Cells without either keep {@code Cell.id()}.
 */
final class CellIdentities {
  private static final Logger log = LoggerFactory.getLogger(CellIdentities.class);

  private CellIdentities() {}

  /**
   * The content identity of each cell, by {@link Cell#id()}; {@code cells} in stage order (parents first).
   *
   * @param benchmarkId scopes a cell whose module cannot be read here to this benchmark: never shared, but resumed
   */
  static Map<String, String> of(List<Cell> cells, String benchmarkId) {
    Map<String, String> identities = new LinkedHashMap<>();
    Map<String, String> moduleDigests = new HashMap<>();
    for (Cell c : cells) {
      StringBuilder extra = new StringBuilder();
      ModelSpec model = c.modelSpec();
      String files = moduleDigests.computeIfAbsent(model.canonical(), m -> digest(model, benchmarkId));
      if (files != null) {
        extra.append("\nmodule ").append(files);
      }
      if (c.parent() != null) {
        String parent = identities.getOrDefault(c.parent(), c.parent());
        if (!parent.equals(c.parent())) {
          extra.append("\nparent content ").append(parent);
        }
      }
      identities.put(c.id(), extra.isEmpty()
          ? c.id()
          : Sha256.hex(c.canonicalText() + extra).substring(0, c.id().length()));
    }
    return identities;
  }

  /** A pretrained module's and its tokenizer's SHA-256; null for a model built from its spec alone. */
  private static String digest(ModelSpec model, String benchmarkId) {
    try {
      Optional<String> module = model.moduleDigest();
      return module.isEmpty()
          ? null
          : "sha256 " + module.get() + " tokenizer sha256 " + model.tokenizerDigest().orElseThrow();
    } catch (UncheckedIOException | InvalidInputException e) {
      // the training worker may see files this one does not: the run is this benchmark's alone
      log.warn("The module of model {} cannot be read where the benchmark is registered ({}): its runs are not"
          + " shared with other benchmarks", model.label(), e.getMessage());
      return "unread in " + benchmarkId;
    }
  }
}
