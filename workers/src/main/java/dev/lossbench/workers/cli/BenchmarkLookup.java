package dev.lossbench.workers.cli;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Benchmark;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Finds a benchmark in the store by id or by name (the latest of that name). */
final class BenchmarkLookup {
  private BenchmarkLookup() {}

  static Benchmark find(MetricsStore store, String idOrName) {
    if (idOrName == null) {
      List<Benchmark> all = store.benchmarks().list();
      if (all.isEmpty()) {
        throw new InvalidInputException("no benchmarks yet in " + store.database().description()
            + ": start one with 'lossbench run matrices/quick.yaml'");
      }
      return all.stream().max(Comparator.comparing(Benchmark::createdAt)).orElseThrow();
    }
    return store.benchmarks().find(idOrName)
        .or(() -> store.benchmarks().findLatestByName(idOrName))
        .orElseThrow(
            () -> new InvalidInputException("no benchmark '" + idOrName + "' in " + store.database().description()
                + known(store)));
  }

  private static String known(MetricsStore store) {
    List<Benchmark> all = store.benchmarks().list();
    if (all.isEmpty()) {
      return " (it has no benchmarks yet)";
    }
    return "; known: " + all.stream().map(Benchmark::name).distinct().sorted().collect(Collectors.joining(", "));
  }
}
