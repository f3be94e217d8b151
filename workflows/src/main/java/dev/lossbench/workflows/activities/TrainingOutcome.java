package dev.lossbench.workflows.activities;

/** A finished training: its best epoch by validation rSum and the checkpoint to evaluate. */
public record TrainingOutcome(int bestEpoch, double bestRsum, String bestCheckpoint, int epochs) {}
