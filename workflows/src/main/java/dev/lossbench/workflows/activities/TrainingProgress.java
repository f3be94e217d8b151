package dev.lossbench.workflows.activities;

/** What a training activity's heartbeats carry (readable by the command line through Temporal). */
public record TrainingProgress(int epoch, int epochs, int step, int steps, double loss, double samplesPerSecond) {}
