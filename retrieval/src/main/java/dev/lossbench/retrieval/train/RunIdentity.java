package dev.lossbench.retrieval.train;

/**
 * What a trained model is: its model, loss and training specs (canonical strings), seed, and the
 * data it was trained on (description plus feature dimension). Stored in every checkpoint.
 */
public record RunIdentity(String model, String loss, String training, long seed, String data, int inputDim) {}
