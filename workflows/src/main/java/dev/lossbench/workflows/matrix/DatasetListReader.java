package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.loss.LossSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the list {@code datasets:}: each entry by {@link DatasetReader}, every name and every dataset's data once,
 * and the fine-tuning stages between them ({@code init.from}, {@code init.loss}), reporting every mistake.
 */
final class DatasetListReader {
  private final Map<String, String> environment;
  private final Path baseDirectory;
  private final Problems problems;
  /** Each dataset read, by name: its entry, where its mistakes are reported. */
  private final Map<String, YamlValue> datasetItems = new HashMap<>();

  DatasetListReader(Map<String, String> environment, Path baseDirectory, Problems problems) {
    this.environment = environment;
    this.baseDirectory = baseDirectory;
    this.problems = problems;
  }

  /** The entries of {@code datasets:} that were read without mistakes, each name and data once. */
  List<DatasetSpec> read(List<YamlValue> items) {
    List<DatasetSpec> datasets = new ArrayList<>();
    DatasetReader reader = new DatasetReader(environment, baseDirectory, problems);
    Map<String, YamlValue> names = new HashMap<>();
    Map<String, YamlValue> identities = new HashMap<>();
    for (YamlValue item : items) {
      DatasetSpec d = reader.read(item);
      if (d == null) {
        continue;
      }
      YamlValue sameName = names.putIfAbsent(d.name(), item);
      // a fine-tuning stage may use the same data as another stage (a different start)
      YamlValue sameData = identities.putIfAbsent(d.identity() + (d.init() == null ? "" : " init " + d.init()), item);
      if (sameName != null) {
        problems.at(item, item.child("name"), "duplicate dataset name '" + d.name() + "' (first at line "
            + sameName.line() + "): expected unique names");
      } else if (sameData != null) {
        problems.at(item, "the same data as " + sameData.field() + " (line " + sameData.line()
            + "): expected each dataset once (list all its protocols in one entry)");
      } else {
        datasets.add(d);
        datasetItems.put(d.name(), item);
      }
    }
    return datasets;
  }

  /**
   * Each dataset's {@code init}: {@code from} names another dataset of the matrix, {@code loss}
   * one of its loss variants, and no chain of {@code from}s comes back to where it started.
   */
  void checkStages(List<DatasetSpec> datasets, List<String> losses) {
    Map<String, DatasetSpec> byName = new LinkedHashMap<>();
    datasets.forEach(d -> byName.put(d.name(), d));
    for (DatasetSpec d : datasets) {
      YamlValue item = datasetItems.get(d.name());
      for (String l : d.losses()) {
        if (!losses.contains(l)) {
          problems.at(item, item.child("losses"), "losses: " + LossSpec.parse(l).label()
              + " is not a loss variant of the matrix: expected some of " + labels(losses));
        }
      }
      StageInit init = d.init();
      if (init == null || !init.fromStage()) {
        continue;
      }
      if (init.from().equals(d.name())) {
        problems.at(item, item.child("init"),
            "init.from names the dataset itself: expected another dataset of the matrix");
      } else if (!byName.containsKey(init.from())) {
        problems.at(item, item.child("init"), "init.from: unknown dataset '" + init.from() + "': expected one of "
            + String.join(", ", byName.keySet().stream().filter(n -> !n.equals(d.name())).toList()));
      }
      if (init.loss() != null && !losses.contains(init.loss())) {
        problems.at(item, item.child("init"), "init.loss: " + LossSpec.parse(init.loss()).label()
            + " is not a loss variant of the matrix (the parent cells must exist): expected one of " + labels(losses));
      } else if (byName.containsKey(init.from()) && losses.containsAll(byName.get(init.from()).losses())) {
        // the parent cells must exist: the parent stage trains with the variant(s) the children start from
        DatasetSpec parent = byName.get(init.from());
        List<String> needed = init.loss() != null
            ? List.of(init.loss())
            : losses.stream().filter(d::trainsWith).toList();
        List<String> missing = needed.stream().filter(l -> !parent.trainsWith(l)).toList();
        if (!missing.isEmpty()) {
          problems.at(item, item.child("init"), "init: dataset " + parent.name() + " does not train with "
              + labels(missing) + " (its losses: " + labels(parent.losses()) + "), so these cells would have no parent:"
              + " expected init.loss naming one of its variants, or those variants in its losses");
        }
      }
    }
    // a cycle: following from, a dataset is reached again
    Set<String> reported = new HashSet<>();
    for (DatasetSpec d : datasets) {
      List<String> chain = new ArrayList<>(List.of(d.name()));
      DatasetSpec at = d;
      while (at.init() != null && at.init().fromStage() && byName.containsKey(at.init().from())
          && !at.init().from().equals(at.name())) {
        String next = at.init().from();
        if (chain.contains(next)) {
          List<String> cycle = new ArrayList<>(chain.subList(chain.indexOf(next), chain.size()));
          cycle.add(next);
          if (next.equals(d.name()) && reported.add(String.join(",", new TreeSet<>(cycle)))) {
            YamlValue item = datasetItems.get(d.name());
            problems.at(item, item.child("init"), "datasets start from each other in a cycle ("
                + String.join(" → ", cycle) + "): expected each to start from an earlier stage or cold");
          }
          break;
        }
        chain.add(next);
        at = byName.get(next);
      }
    }
  }

  /** An adaptive matrix has one stage in this version: its decisions are per dataset × model group of cold runs. */
  void requireSingleStage(List<DatasetSpec> datasets, YamlValue at) {
    for (DatasetSpec d : datasets) {
      if (d.init() != null && d.init().fromStage()) {
        YamlValue item = datasetItems.get(d.name());
        problems.at(at, "dataset " + d.name() + " (line " + item.line() + ") is a fine-tuning stage (init.from):"
            + " expected a single-stage matrix for an adaptive one (early stopping, sequential seeds)");
        return;
      }
    }
  }

  private static String labels(List<String> canonicalLosses) {
    return String.join(", ", canonicalLosses.stream().map(l -> LossSpec.parse(l).label()).toList());
  }
}
