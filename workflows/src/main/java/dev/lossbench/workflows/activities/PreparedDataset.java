package dev.lossbench.workflows.activities;

/**
 * A dataset ready to read: where its files are (for synthetic data, generated under the
 * artifacts directory) and a hash of their contents.
 */
public record PreparedDataset(String datasetId, String directory, String contentHash) {}
