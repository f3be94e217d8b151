package dev.lossbench.retrieval.loss;

import ai.djl.ndarray.NDArray;

/**
 * Per-anchor loss terms in both directions (length B each): {@code i2t[i]} is anchor image i
 * against the captions of row i, {@code t2i[i]} anchor caption i against the images of column i.
 */
public record LossTerms(NDArray i2t, NDArray t2i) {}
