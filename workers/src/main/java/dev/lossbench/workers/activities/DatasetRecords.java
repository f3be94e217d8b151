package dev.lossbench.workers.activities;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.workflows.matrix.DatasetSpec;
import java.util.Map;

/** How a matrix's dataset is recorded in the store: registered once, then what its preparation found. */
final class DatasetRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DatasetRecords() {}

  static DatasetDefinition definition(DatasetSpec d) {
    return new DatasetDefinition(d.id(), d.kind().id(), d.path(),
        d.synthetic() == null ? null : JSON.valueToTree(d.synthetic()), d.primaryProtocol().id());
  }

  /** Registers the dataset: the one place a matrix's datasets enter the store (a benchmark's registration). */
  static void register(MetricsStore store, DatasetSpec d) {
    store.datasets().register(definition(d));
  }

  /**
   * Records what preparing the dataset found. Registration has recorded the dataset; one it has not (a
   * preparation on its own) is registered first.
   */
  static void recordPrepared(MetricsStore store, DatasetSpec d, String contentHash, Map<String, Long> splitSizes) {
    if (store.datasets().find(d.id()).isEmpty()) {
      register(store, d);
    }
    store.datasets().recordPrepared(d.id(), contentHash, splitSizes);
  }
}
