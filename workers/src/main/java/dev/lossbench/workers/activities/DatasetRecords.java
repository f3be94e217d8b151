package dev.lossbench.workers.activities;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.workflows.matrix.DatasetSpec;

/** How a matrix's dataset is recorded in the store. */
final class DatasetRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DatasetRecords() {}

  static DatasetDefinition definition(DatasetSpec d) {
    return new DatasetDefinition(d.id(), d.kind().id(), d.path(),
        d.synthetic() == null ? null : JSON.valueToTree(d.synthetic()), d.primaryProtocol().id());
  }
}
